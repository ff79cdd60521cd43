/*
 * What a made copy says to the user: which deal was created (number, name,
 * stage by name, link), what WAS carried (fields, products and list elements, contacts,
 * company), warnings (products carried with their prices), and «Не перенесено» with real
 * failures only — never what the user chose not to carry or what amoCRM can never write.
 */
define('dealcopy/copy_result', ['jquery', 'dealcopy/meta'], function ($, accountMeta) {
  'use strict';

  function create(ctx) {
    var t = ctx.i18n.t;
    var messageOf = ctx.i18n.messageOf;

    function whatName(what) {
      var names = {
        field: t('result.what.field'),
        contacts: t('result.what.contacts'),
        company: t('result.what.company'),
        budget: t('result.what.budget'),
        tags: t('result.what.tags'),
        catalog_element: t('result.what.catalog_element'),
        catalog: t('result.what.catalog'),
        links: t('result.what.links'),
        notes: t('result.what.notes')
      };
      return names[what] || what;
    }

    function warningText(code) {
      var texts = { 'anonymised-products-carry-prices': t('result.warning_prices') };
      return texts[code] || '';
    }

    /** The parts of «Поля: 12 · Товары и элементы списков: 3 · Контакты: 2 · Компания» (the preview says them too). */
    function carriedParts(copied) {
      var parts = [];
      copied = copied || {};
      if ((copied.fields || []).length) {
        parts.push(t('result.carried_fields', { n: copied.fields.length }));
      }
      if (copied.catalog_elements) {
        parts.push(t('result.carried_elements', { n: copied.catalog_elements }));
      }
      if (copied.contacts) {
        parts.push(t('result.carried_contacts', { n: copied.contacts }));
      }
      if (copied.company_id) {
        parts.push(t('result.carried_company'));
      }
      return parts;
    }

    function carried(copied) {
      var parts = carriedParts(copied);
      return parts.length ? t('result.carried', { what: parts.join(' · ') }) : t('result.carried_nothing');
    }

    function view(copy, meta) {
      var failures = $.map(
        $.grep(copy.skipped || [], function (skip) {
          return skip.failure === true;
        }),
        function (skip) {
          return {
            what: skip.name ? whatName(skip.what) + ' «' + skip.name + '»' : whatName(skip.what),
            reason: messageOf(skip)
          };
        }
      );
      var stage = copy.stage || '';
      return {
        lead_id: copy.lead_id,
        url: copy.url || accountMeta.leadUrl(meta, copy.lead_id),
        title: t('result.created', { id: copy.lead_id }),
        name: copy.name || '',
        stage: stage,
        carried: carried(copy.copied),
        warnings: $.grep($.map(copy.warnings || [], warningText), Boolean),
        skipped: failures,
        skipped_title: t('result.skipped', { n: failures.length })
      };
    }

    return { view: view, carried: carried, carriedParts: carriedParts, whatName: whatName, warningText: warningText };
  }

  return { create: create };
});
