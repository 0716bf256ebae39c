import { Root, type Type } from 'protobufjs';
import { messagingDescriptor } from '../../generated/messaging.descriptor';

const root = Root.fromJSON(messagingDescriptor);

/** A message type of proto/bnpl/featurestore/v1/messaging.proto, by its short name. */
export function messagingType(name: 'FeatureUpdate' | 'JobRequest' | 'JobProgress' | 'KeyRevocation' | 'FeatureHistory'): Type {
  return root.lookupType(`bnpl.featurestore.v1.${name}`);
}
