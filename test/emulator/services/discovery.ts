/** Discovery: the sdk asks which nodes serve the database; the emulator is the only one. */
import { Ydb } from '../ydb-proto.js';
import { operationFailed, operationOk, resultType } from '../operation.js';
import { defineService, unary, type Gate } from '../rpc.js';
import { GrpcFailure } from '../status.js';

/** The services an endpoint advertises, named as YDB names them in ListEndpoints. */
const ADVERTISED_SERVICES = ['discovery', 'table_service', 'query_service', 'scripting', 'auth', 'scheme_service'];

const listEndpointsResult = resultType('Ydb.Discovery.ListEndpointsResult', Ydb.Discovery.ListEndpointsResult);

/** `self` is read per call: the port is known only once the server is bound. */
export function discoveryService(gate: Gate, self: () => { host: string; port: number }) {
  return defineService(gate, 'discovery', 'Ydb.Discovery.V1.DiscoveryService', {
    ListEndpoints: unary({
      request: Ydb.Discovery.ListEndpointsRequest,
      response: Ydb.Discovery.ListEndpointsResponse,
      failure: operationFailed,
      handle(req) {
        if (req.database !== gate.database) throw GrpcFailure.unauthenticated('Unknown database');
        const { host, port } = self();
        return operationOk(listEndpointsResult, {
          endpoints: [{ address: host, port, loadFactor: 0, ssl: false, service: ADVERTISED_SERVICES, location: 'local', nodeId: 1 }],
          selfLocation: 'local',
        });
      },
    }),
  });
}
