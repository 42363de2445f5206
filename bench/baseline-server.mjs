// The baseline every throughput figure is divided by: a bare node:http server answering a small JSON body
// (about the size of a Rackspace customer), on the port in $PORT. Nothing else: no framework, no store.
import { createServer } from 'node:http';

const body = JSON.stringify({
  name: 'Acme Dental',
  accountNumber: '460104',
  referenceNumber: '1000',
  addressLine1: '178 Main Street',
  city: 'Portland',
  state: 'OR',
  zip: '97205',
  country: 'US',
  phone: '1-555-226-1338',
  email: 'it@acme-dental.example',
});
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) };

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
