// Generated from proto/bnpl/featurestore/v1/decision_records.proto by libs/messaging/scripts/generate-descriptor.cjs: do not edit.
import type { INamespace } from 'protobufjs';

export const decisionRecordsDescriptor: INamespace = {
  "nested": {
    "bnpl": {
      "nested": {
        "featurestore": {
          "nested": {
            "v1": {
              "nested": {
                "DecisionRecord": {
                  "fields": {
                    "decisionId": {
                      "type": "string",
                      "id": 1
                    },
                    "sequence": {
                      "type": "uint64",
                      "id": 2
                    },
                    "previousSequence": {
                      "type": "uint64",
                      "id": 3
                    },
                    "previousHash": {
                      "type": "bytes",
                      "id": 4
                    },
                    "servedAt": {
                      "type": "google.protobuf.Timestamp",
                      "id": 5
                    },
                    "customerId": {
                      "type": "int64",
                      "id": 6
                    },
                    "body": {
                      "type": "bytes",
                      "id": 7
                    },
                    "hash": {
                      "type": "bytes",
                      "id": 8
                    }
                  }
                },
                "DecisionRecordBatch": {
                  "fields": {
                    "instanceId": {
                      "type": "string",
                      "id": 1
                    },
                    "records": {
                      "rule": "repeated",
                      "type": "DecisionRecord",
                      "id": 2
                    },
                    "assignedThrough": {
                      "type": "uint64",
                      "id": 3
                    },
                    "closed": {
                      "type": "bool",
                      "id": 4
                    },
                    "sentAt": {
                      "type": "google.protobuf.Timestamp",
                      "id": 5
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
