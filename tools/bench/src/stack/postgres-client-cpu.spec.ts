import { clientPortOf, parseSsLine } from './postgres-client-cpu';

describe('PostgreSQL CPU by client: parsing', () => {
  it("reads a backend's client port from its process title, the replication stream's too", () => {
    expect(clientPortOf('postgres: postgres bnpl 127.0.0.1(54012) idle\0')).toBe('54012');
    expect(clientPortOf('postgres: walsender postgres 127.0.0.1(40110) START_REPLICATION')).toBe('40110');
    expect(clientPortOf('postgres: checkpointer ')).toBeUndefined();
  });

  it("reads the local port and owner of a client socket from ss, and skips the server's side and other lines", () => {
    expect(parseSsLine('ESTAB 0      0          127.0.0.1:54012     127.0.0.1:24731 users:(("node",pid=4242,fd=23))')).toEqual({ localPort: '54012', pid: 4242 });
    expect(parseSsLine('ESTAB 0      0          [::1]:6379     [::1]:51000 users:(("redis-server",pid=11,fd=9))')).toBeUndefined();
    expect(parseSsLine('ESTAB 0      0          127.0.0.1:24731     127.0.0.1:54012')).toBeUndefined();
  });
});
