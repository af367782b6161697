// Identity: accounts of people, enterprises and staff, their login, and proxies (帮办代办) between them.
export * from './errors.ts';
