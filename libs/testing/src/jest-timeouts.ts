// Integration and end-to-end tests wait on real brokers and processes; each wait has its own deadline (waitFor).
jest.setTimeout(120_000);
// A timeout says what the stack was doing (each service's last lines, databases, consumer groups).
import './timeout-diagnostics.setup';
