// The catalogue's contracts: service items, bundles and their content as the designer and the portal read them.
export * from './catalogue.ts';
export * from './errors.ts';
