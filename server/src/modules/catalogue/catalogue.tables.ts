// Drizzle tables of the catalogue (migration 0001): departments, service items and bundles with their versions.
// The SQL files are the source of truth; test/platform.test.ts checks that the two agree column by column.
import { char, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  regionCode: char('region_code', { length: 6 }).notNull(),
  sector: text('sector').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const serviceItems = pgTable('service_items', {
  code: text('code').primaryKey(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const serviceItemVersions = pgTable(
  'service_item_versions',
  {
    itemCode: text('item_code').notNull(),
    version: integer('version').notNull(),
    status: text('status').$type<'draft' | 'published'>().notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    contentSha256: text('content_sha256').notNull(),
    departmentCode: text('department_code').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    publishedBy: uuid('published_by'),
    publishedAt: ts('published_at'),
  },
  (t) => [primaryKey({ columns: [t.itemCode, t.version] })],
);

export const bundles = pgTable('bundles', {
  code: text('code').primaryKey(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const bundleVersions = pgTable(
  'bundle_versions',
  {
    bundleCode: text('bundle_code').notNull(),
    version: integer('version').notNull(),
    status: text('status').$type<'draft' | 'published'>().notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    contentSha256: text('content_sha256').notNull(),
    stage: text('stage').notNull(),
    audience: text('audience').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    publishedBy: uuid('published_by'),
    publishedAt: ts('published_at'),
  },
  (t) => [primaryKey({ columns: [t.bundleCode, t.version] })],
);
