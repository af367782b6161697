// The catalogue's contracts: service items, bundles and their content as the designer and the portal read them,
// and the views and bodies of the catalogue's API.
export * from './vocabulary.ts';
export * from './catalogue.ts';
export * from './views.ts';
export * from './errors.ts';
