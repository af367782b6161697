// Key items (重点事项): the national lists of one-thing bundles each province must offer.
export * from './errors.ts';
