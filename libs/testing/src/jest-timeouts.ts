// Integration and end-to-end tests wait on real brokers and processes; each wait has its own deadline (waitFor).
jest.setTimeout(120_000);
