// The catalogue's error codes, with their HTTP status and their titles in both languages.
// Clients match a problem's code against these values; the codes never change once published.
import { defineFieldErrors, defineProblems } from '../problem/index.ts';

export const CatalogueErrors = defineProblems({
  itemNotFound: {
    code: 'catalogue.item_not_found',
    status: 404,
    title: { zh: '事项 {code} 不存在', en: 'Service item {code} not found' },
  },
  bundleNotFound: {
    code: 'catalogue.bundle_not_found',
    status: 404,
    title: { zh: '一件事 {code} 不存在', en: 'One-thing bundle {code} not found' },
  },
  versionNotFound: {
    code: 'catalogue.version_not_found',
    status: 404,
    title: { zh: '{code} 没有第 {version} 版', en: '{code} has no version {version}' },
  },
  departmentNotFound: {
    code: 'catalogue.department_not_found',
    status: 404,
    title: { zh: '部门 {code} 不存在', en: 'Department {code} not found' },
  },
  noDraft: {
    code: 'catalogue.no_draft',
    status: 409,
    title: { zh: '{code} 没有待发布的草稿', en: '{code} has no draft to publish' },
  },
  codeMismatch: {
    code: 'catalogue.code_mismatch',
    status: 400,
    title: { zh: '内容中的编码与地址中的编码不一致', en: 'The code in the content differs from the code in the URL' },
  },
  invalidItem: {
    code: 'catalogue.invalid_item',
    status: 422,
    title: { zh: '事项内容不符合要求', en: 'The service item is not valid' },
  },
  invalidBundle: {
    code: 'catalogue.invalid_bundle',
    status: 422,
    title: { zh: '一件事内容不符合要求', en: 'The one-thing bundle is not valid' },
  },
  departmentsInvalid: {
    code: 'catalogue.departments_invalid',
    status: 422,
    title: {
      zh: '导入文件有 {rows} 行不符合要求，未导入任何内容',
      en: '{rows} rows of the file are not valid; nothing was imported',
    },
  },
  invalidFile: {
    code: 'catalogue.invalid_file',
    status: 422,
    title: { zh: '目录文件不符合要求，未导入任何内容', en: 'The catalogue file is not valid; nothing was imported' },
  },
  concurrentChange: {
    code: 'catalogue.concurrent_change',
    status: 409,
    title: { zh: '{code} 正被他人修改，请刷新后重试', en: '{code} was changed at the same time; reload and try again' },
  },
});

/** The messages of field errors the catalogue's services add to its documents' own checks. */
export const CatalogueFieldErrors = defineFieldErrors({
  phraseRepeated: {
    code: 'catalogue.search_phrase_repeated',
    detail: { zh: '与第 {previous} 条的词语重复', en: 'the same phrase as entry {previous}' },
  },
  departmentRepeated: {
    code: 'catalogue.department_repeated',
    detail: { zh: '与第 {previous} 行的编码重复', en: 'the same code as row {previous}' },
  },
});
