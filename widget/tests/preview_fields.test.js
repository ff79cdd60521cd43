/*
 * Unit tests of the preview's field lines (`dealcopy/preview_fields`): what each custom field of
 * POST /copies/preview's `fields` reads as.
 */
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./amd.js');

const previewFields = load('dealcopy/preview_fields');
const WORDS = { 'field_rules.yes': 'да', 'field_rules.no': 'нет', 'schedules.preview.field_empty': 'пусто' };
const ctx = {
  accountZone: 'Europe/Moscow',
  i18n: {
    t: (key) => WORDS[key] || key,
    formatDate: (ms, zone) => new Date(ms).toLocaleDateString('ru-RU', { timeZone: zone })
  }
};
const META = {
  lead_fields: {
    custom: [
      { id: 1, name: 'Категория', type: 'select', enums: [{ id: 10, value: 'Услуги' }, { id: 11, value: 'Оборудование' }] },
      { id: 2, name: 'Срочно', type: 'checkbox', enums: [] },
      { id: 3, name: 'Дата отгрузки', type: 'date', enums: [] },
      { id: 4, name: 'Теги', type: 'multiselect', enums: [{ id: 20, value: 'A' }, { id: 21, value: 'B' }] }
    ]
  }
};

test('options read as their names, booleans as yes/no, dates in the account zone, cleared as empty', () => {
  const rows = previewFields.create(ctx).rows(
    [
      { field_id: 1, name: 'Категория', values: [{ enum_id: 10 }] },
      { field_id: 2, name: 'Срочно', values: [{ value: false }] },
      { field_id: 3, name: 'Дата отгрузки', values: [{ value: 1765054800 }] }, // 07.12.2025 00:00 in Moscow
      { field_id: 4, name: 'Теги', values: [{ enum_id: 21 }, { enum_id: 20 }] },
      { field_id: 5, name: 'Назначение платежа', values: [{ value: 'Продление' }] },
      { field_id: 6, name: 'Цена', values: [] }
    ],
    META
  );
  assert.deepEqual(
    rows.map((row) => [row.id, row.text, row.empty]),
    [
      [1, 'Услуги', false],
      [2, 'нет', false],
      [3, '07.12.2025', false],
      [4, 'B, A', false],
      [5, 'Продление', false],
      [6, 'пусто', true]
    ]
  );
});
