import { egressGuard } from './egressGuard.js';

/*
 * Imported first by bin/ashare.js, before any other module: the egress guard's wrappers are in place
 * (disarmed, so passing everything through) before a dependency can keep its own reference to an
 * unwrapped `dns.lookup` or `net.connect`. Arming is the service's business (config airgap:).
 */
egressGuard();
