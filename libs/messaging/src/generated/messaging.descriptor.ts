// Generated from proto/bnpl/featurestore/v1/messaging.proto by libs/messaging/scripts/generate-descriptor.cjs: do not edit.
import type { INamespace } from 'protobufjs';

export const messagingDescriptor: INamespace = {
  "nested": {
    "bnpl": {
      "nested": {
        "featurestore": {
          "nested": {
            "v1": {
              "nested": {
                "FeatureUpdate": {
                  "fields": {
                    "entity": {
                      "type": "string",
                      "id": 1
                    },
                    "entityIds": {
                      "rule": "repeated",
                      "type": "int64",
                      "id": 2
                    },
                    "featureViews": {
                      "rule": "repeated",
                      "type": "string",
                      "id": 3
                    },
                    "eventTime": {
                      "type": "google.protobuf.Timestamp",
                      "id": 4
                    },
                    "sourceLsn": {
                      "type": "uint64",
                      "id": 5
                    }
                  }
                },
                "JobKind": {
                  "values": {
                    "JOB_KIND_UNSPECIFIED": 0,
                    "JOB_KIND_MATERIALIZE_FULL": 1,
                    "JOB_KIND_MATERIALIZE_INCREMENTAL": 2,
                    "JOB_KIND_BACKFILL": 3,
                    "JOB_KIND_HISTORICAL": 4
                  }
                },
                "EntityIdRange": {
                  "fields": {
                    "firstId": {
                      "type": "int64",
                      "id": 1
                    },
                    "lastId": {
                      "type": "int64",
                      "id": 2
                    }
                  }
                },
                "JobRequest": {
                  "fields": {
                    "jobId": {
                      "type": "string",
                      "id": 1
                    },
                    "kind": {
                      "type": "JobKind",
                      "id": 2
                    },
                    "entity": {
                      "type": "string",
                      "id": 3
                    },
                    "featureViews": {
                      "rule": "repeated",
                      "type": "string",
                      "id": 4
                    },
                    "asOf": {
                      "type": "google.protobuf.Timestamp",
                      "id": 5
                    },
                    "startTime": {
                      "type": "google.protobuf.Timestamp",
                      "id": 6
                    },
                    "endTime": {
                      "type": "google.protobuf.Timestamp",
                      "id": 7
                    },
                    "shardIndex": {
                      "type": "int32",
                      "id": 8
                    },
                    "shardCount": {
                      "type": "int32",
                      "id": 9
                    },
                    "entityIds": {
                      "type": "EntityIdRange",
                      "id": 10
                    },
                    "attempt": {
                      "type": "int32",
                      "id": 11
                    }
                  }
                },
                "JobState": {
                  "values": {
                    "JOB_STATE_UNSPECIFIED": 0,
                    "JOB_STATE_PENDING": 1,
                    "JOB_STATE_RUNNING": 2,
                    "JOB_STATE_SUCCEEDED": 3,
                    "JOB_STATE_FAILED": 4,
                    "JOB_STATE_CANCELLED": 5
                  }
                },
                "ShardState": {
                  "values": {
                    "SHARD_STATE_UNSPECIFIED": 0,
                    "SHARD_STATE_PENDING": 1,
                    "SHARD_STATE_RUNNING": 2,
                    "SHARD_STATE_DONE": 3,
                    "SHARD_STATE_FAILED": 4
                  }
                },
                "ShardProgress": {
                  "fields": {
                    "index": {
                      "type": "int32",
                      "id": 1
                    },
                    "attempt": {
                      "type": "int32",
                      "id": 2
                    },
                    "state": {
                      "type": "ShardState",
                      "id": 3
                    },
                    "rowsDone": {
                      "type": "int64",
                      "id": 4
                    }
                  }
                },
                "JobProgress": {
                  "fields": {
                    "jobId": {
                      "type": "string",
                      "id": 1
                    },
                    "state": {
                      "type": "JobState",
                      "id": 2
                    },
                    "shardsTotal": {
                      "type": "int32",
                      "id": 3
                    },
                    "shardsDone": {
                      "type": "int32",
                      "id": 4
                    },
                    "rowsDone": {
                      "type": "int64",
                      "id": 5
                    },
                    "error": {
                      "type": "string",
                      "id": 6
                    },
                    "reportTime": {
                      "type": "google.protobuf.Timestamp",
                      "id": 7
                    },
                    "shard": {
                      "type": "ShardProgress",
                      "id": 8
                    }
                  }
                },
                "KeyRevocation": {
                  "fields": {
                    "keyId": {
                      "type": "string",
                      "id": 1
                    },
                    "revokeTime": {
                      "type": "google.protobuf.Timestamp",
                      "id": 2
                    }
                  }
                },
                "HistoryMoney": {
                  "fields": {
                    "amountMinor": {
                      "type": "int64",
                      "id": 1
                    },
                    "currency": {
                      "type": "string",
                      "id": 2
                    }
                  }
                },
                "HistoryValue": {
                  "oneofs": {
                    "kind": {
                      "oneof": [
                        "int64Value",
                        "doubleValue",
                        "stringValue",
                        "boolValue",
                        "moneyValue"
                      ]
                    }
                  },
                  "fields": {
                    "feature": {
                      "type": "string",
                      "id": 1
                    },
                    "int64Value": {
                      "type": "int64",
                      "id": 2
                    },
                    "doubleValue": {
                      "type": "double",
                      "id": 3
                    },
                    "stringValue": {
                      "type": "string",
                      "id": 4
                    },
                    "boolValue": {
                      "type": "bool",
                      "id": 5
                    },
                    "moneyValue": {
                      "type": "HistoryMoney",
                      "id": 6
                    }
                  }
                },
                "FeatureHistoryRow": {
                  "fields": {
                    "entityId": {
                      "type": "int64",
                      "id": 1
                    },
                    "eventTime": {
                      "type": "google.protobuf.Timestamp",
                      "id": 2
                    },
                    "readTime": {
                      "type": "google.protobuf.Timestamp",
                      "id": 3
                    },
                    "values": {
                      "rule": "repeated",
                      "type": "HistoryValue",
                      "id": 4
                    }
                  }
                },
                "FeatureHistory": {
                  "fields": {
                    "featureView": {
                      "type": "string",
                      "id": 1
                    },
                    "rows": {
                      "rule": "repeated",
                      "type": "FeatureHistoryRow",
                      "id": 2
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "google": {
      "nested": {
        "protobuf": {
          "nested": {
            "Timestamp": {
              "fields": {
                "seconds": {
                  "type": "int64",
                  "id": 1
                },
                "nanos": {
                  "type": "int32",
                  "id": 2
                }
              }
            }
          }
        }
      }
    }
  }
};
