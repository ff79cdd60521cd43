/*
 * Unit tests of the rule form's pure parts (`node --test widget/tests/`): the copy's name, the
 * rule composed from the controls, where rule errors go, the stage select, the template's data.
 */
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./amd.js');

const copyName = load('dealcopy/copy_name');
const ruleValues = load('dealcopy/rule_values');
const ruleErrors = load('dealcopy/rule_errors');
const stageChoice = load('dealcopy/stage_choice');
const formView = load('dealcopy/rule_form_view');

const SALES = {
  id: 7001,
  name: 'Воронка',
  statuses: [
    { id: 142, name: 'Успешно реализовано' },
    { id: 71001, name: 'Первичный контакт' },
    { id: 71002, name: 'Переговоры' },
    { id: 143, name: 'Закрыто и не реализовано' }
  ]
};
const CHOICE = {
  pipelineId: '7001',
  statusId: '71002',
  responsible: 'source',
  anonymous: false,
  contacts: true,
  company: false,
  std: [
    { key: 'copy_budget', on: true },
    { key: 'copy_tags', on: false }
  ]
};

test('a name field left empty or holding {name} stores no template', () => {
  assert.equal(copyName.templateOf(''), null);
  assert.equal(copyName.templateOf('  {name} '), null);
  assert.equal(copyName.templateOf(null), null);
  assert.equal(copyName.templateOf(' Повтор: {name} '), 'Повтор: {name}');
});

test('the name preview fills known placeholders and leaves unknown ones as typed', () => {
  const values = copyName.previewValues({ id: 24002811, name: 'Поставка' }, SALES, '06.12.2026', 'название сделки');
  assert.equal(copyName.render('{name} ({date}) #{id} {pipeline}{n}', values), 'Поставка (06.12.2026) #24002811 Воронка');
  assert.equal(copyName.render('{name} {oops}', values), 'Поставка {oops}');
  assert.equal(copyName.render('', values), 'Поставка');
  const noLead = copyName.previewValues(null, null, 'today', 'название сделки');
  assert.equal(copyName.render('{name} #{id} [{pipeline}]', noLead), 'название сделки #… []');
});

test('{date} is dd.mm.yyyy in the rule zone, as the backend renders it, whatever the user language', () => {
  const lateInMoscow = new Date(Date.UTC(2026, 11, 6, 22, 30)); // 7 December 01:30 in Moscow
  assert.equal(copyName.dateText(lateInMoscow, 'Europe/Moscow'), '07.12.2026');
  assert.equal(copyName.dateText(lateInMoscow, 'America/New_York'), '06.12.2026');
  assert.equal(copyName.dateText(lateInMoscow, 'Not/AZone').length, 10);
});

test('the responsible select maps both ways, keeping a user the select does not list', () => {
  assert.deepEqual(ruleValues.responsibleOf('source'), { mode: 'source' });
  assert.deepEqual(ruleValues.responsibleOf('actor'), { mode: 'actor' });
  assert.deepEqual(ruleValues.responsibleOf('11000002'), { mode: 'fixed', user_id: 11000002 });
  const listed = ['source', 'actor', '11000002'];
  assert.deepEqual(ruleValues.responsibleChoice({ mode: 'fixed', user_id: 11000002 }, true, listed), {
    value: '11000002',
    missing: null
  });
  assert.deepEqual(ruleValues.responsibleChoice({ mode: 'fixed', user_id: 99 }, true, listed), { value: '99', missing: '99' });
  // a trigger has nobody pressing a button: «я» falls back to the source's responsible
  assert.deepEqual(ruleValues.responsibleChoice({ mode: 'actor' }, false, listed), { value: 'source', missing: null });
  assert.deepEqual(ruleValues.responsibleChoice(undefined, true, listed), { value: 'source', missing: null });
});

test('compose keeps keys the form does not edit and reads every control', () => {
  const base = { add_tags: ['копия'], timezone: 'Asia/Yekaterinburg', name_template: 'old' };
  const rule = ruleValues.compose(base, { ...CHOICE, name: ' Повтор: {name} ' }, 'Копия сделки #{id}');
  assert.deepEqual(rule, {
    add_tags: ['копия'],
    timezone: 'Asia/Yekaterinburg',
    name_template: 'Повтор: {name}',
    pipeline_id: 7001,
    status_id: 71002,
    responsible: { mode: 'source' },
    anonymise: false,
    copy_contacts: true,
    copy_company: false,
    copy_budget: true,
    copy_tags: false
  });
  assert.deepEqual(base.add_tags, ['копия']); // the base is not changed
  rule.add_tags.push('x');
  assert.deepEqual(base.add_tags, ['копия']);
});

test('an anonymous copy carries no contacts, company or standard fields whatever is ticked', () => {
  const rule = ruleValues.compose({}, { ...CHOICE, anonymous: true, company: true }, 'Копия сделки #{id}');
  assert.equal(rule.anonymise, true);
  assert.equal(rule.copy_contacts, false);
  assert.equal(rule.copy_company, false);
  assert.equal(rule.copy_budget, false);
  assert.equal('name_template' in rule, false); // no name field on this screen: nothing written
});

test('the name box of the standard fields: ticked keeps the name, unticked uses the stored or anonymous one', () => {
  const nameBox = (on) => ({ ...CHOICE, std: [{ key: 'name_template', on: on }] });
  // a new rule: the source's name with the day, so copies differ in lists
  assert.equal(ruleValues.compose({}, nameBox(true), 'anon').name_template, '{name} ({date})');
  assert.equal(ruleValues.compose({}, { ...nameBox(true), anonymous: true }, 'anon').name_template, null);
  // a rule saved before keeps what it had: the plain name, or the name with the day
  assert.equal(ruleValues.compose({ name_template: null }, nameBox(true), 'anon').name_template, null);
  assert.equal(ruleValues.compose({ name_template: '{name} ({date})' }, nameBox(true), 'anon').name_template, '{name} ({date})');
  assert.equal(ruleValues.compose({}, nameBox(false), 'anon').name_template, 'anon');
  assert.equal(ruleValues.compose({ name_template: '{name} ({date})' }, nameBox(false), 'anon').name_template, 'anon');
  assert.equal(ruleValues.compose({ name_template: 'Мой' }, nameBox(false), 'anon').name_template, 'Мой');
  assert.equal(ruleValues.keepsName({ name_template: null }), true);
  assert.equal(ruleValues.keepsName({ name_template: '{name} ({date})' }), true);
  assert.equal(ruleValues.keepsName({ name_template: 'Мой' }), false);
  assert.equal(ruleValues.nameText({ name_template: 'Мой' }, 'anon'), 'Мой');
  assert.equal(ruleValues.nameText({ anonymise: true }, 'anon'), 'anon');
  assert.equal(ruleValues.nameText({}, 'anon'), '{name}');
});

test('rule errors go next to their controls, field errors on the deal node with their index', () => {
  assert.deepEqual(ruleErrors.placeOf('pipeline_id', true), { role: 'pipeline_id', fieldIndex: null });
  assert.deepEqual(ruleErrors.placeOf('status_id', true), { role: 'status_id', fieldIndex: null });
  assert.deepEqual(ruleErrors.placeOf('responsible.user_id', true), { role: 'responsible', fieldIndex: null });
  assert.deepEqual(ruleErrors.placeOf('fields[3]', true), { role: 'lead', fieldIndex: 3 });
  assert.deepEqual(ruleErrors.placeOf('exclude_fields[0]', true), { role: 'lead', fieldIndex: null });
  assert.deepEqual(ruleErrors.placeOf('name_template', true), { role: 'name_template', fieldIndex: null });
  assert.deepEqual(ruleErrors.placeOf('name_template', false), { role: 'lead', fieldIndex: null });
  assert.deepEqual(ruleErrors.placeOf('catalogs[1].id', true), { role: 'tree', fieldIndex: null });
  assert.deepEqual(ruleErrors.placeOf('delay.at', true), { role: null, fieldIndex: null });
  assert.deepEqual(ruleErrors.placeOf(undefined, true), { role: null, fieldIndex: null });
});

test('the stage select marks closed stages and never preselects one by default', () => {
  assert.deepEqual(
    stageChoice.options(SALES, 'закрыт').map((o) => o.label),
    ['Успешно реализовано · закрыт', 'Первичный контакт', 'Переговоры', 'Закрыто и не реализовано · закрыт']
  );
  assert.equal(stageChoice.preselect(SALES, 71002), '71002');
  assert.equal(stageChoice.preselect(SALES, 142), '142'); // a saved rule keeps its closed stage
  assert.equal(stageChoice.preselect(SALES, 99), '71001'); // a stage the pipeline lacks: the first open one
  assert.equal(stageChoice.preselect(null, 1), null);
  assert.equal(stageChoice.startingStatus(SALES, 142), 71001); // a won source's copy starts open
  assert.equal(stageChoice.startingStatus(SALES, 71002), 71002);
  assert.equal(stageChoice.needsConfirm(SALES, '143', '71001').name, 'Закрыто и не реализовано');
  assert.equal(stageChoice.needsConfirm(SALES, '143', '143'), null); // already confirmed
  assert.equal(stageChoice.needsConfirm(SALES, '71002', '71001'), null);
});

test('the template data: contacts and company leave the tree, reasons in the user language, products shared', () => {
  const meta = {
    pipelines: [SALES],
    users: [{ id: 1, name: 'Анна' }],
    presets: [{ preset_id: 'p1', name: 'Шаблон' }],
    catalogs: [
      { id: 5, type: 'products', name: 'Товары' },
      { id: 6, type: 'regular', name: 'Счета' }
    ],
    lead_fields: {
      standard: [
        { rule: 'copy_contacts', key: 'contacts' },
        { rule: 'copy_budget', key: 'price', name_ru: 'Бюджет', name_en: 'Budget' }
      ],
      custom: [
        { id: 9, name: 'ИНН', type: 'text', anonymise_reason: 'requisites', anonymise_reason_ru: 'реквизиты', anonymise_reason_en: 'requisites' },
        { id: 10, name: 'Формула', type: 'text', copyable: false, not_writable: true, not_writable_ru: 'не копируется' }
      ]
    }
  };
  const opts = { mode: 'card', checks: ['products', 'contacts'], presets: false, lead: { id: 1, elements: [{ catalog_id: 6, id: 77 }] } };
  const data = formView.templateData(meta, opts, 'card-1', 'en', (name) => 'List ' + name);
  assert.deepEqual(data.standard, [{ rule: 'copy_budget', key: 'price', name: 'Budget' }]);
  assert.equal(data.custom[0].anon_reason_text, 'requisites');
  assert.equal(data.custom[1].copyable, false);
  assert.equal(data.custom[1].not_writable_text, 'не копируется'); // no English words: the Russian ones
  assert.equal(data.products_id, 5);
  assert.deepEqual(data.presets, []);
  assert.deepEqual(
    data.catalogs.map((c) => [c.label, c.products, c.elements.length]),
    [
      ['List Товары', true, 0],
      ['List Счета', false, 1]
    ]
  );
  const noProducts = formView.parts({ catalogs: [] }, ['products', 'company']);
  assert.deepEqual(noProducts.checks, ['company']);
  assert.equal(noProducts.productsShared, false);
});
