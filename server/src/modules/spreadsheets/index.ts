// Spreadsheets: the Excel files of the administration console (staff accounts, departments, service items). It
// owns no data: the sheets' columns and the routes; identity and catalogue check and write what is imported.
export { spreadsheetRoutes } from './spreadsheets.routes.ts';
