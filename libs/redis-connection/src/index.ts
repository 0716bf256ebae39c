export { tlsSafeConnector } from './lib/tls-safe-connector';
