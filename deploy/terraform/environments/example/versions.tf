terraform {
  # Cross-variable validation (modules/pubsub) needs 1.9.
  required_version = ">= 1.9"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0, < 7.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.6"
    }
  }

  # State holds the generated passwords: keep it in a bucket only operators can read.
  #   terraform init -backend-config="bucket=<state bucket>" -backend-config="prefix=bnpl/example"
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region
}
