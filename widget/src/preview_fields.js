/*
 * The preview's custom fields as the copy will write them (`fields: [{field_id, name, values}]` of
 * POST /copies/preview): one line of text each. Options by their names (the settings lookup's
 * `enums`), yes/no, dates in the account's zone; a cleared field says so.
 */
define('dealcopy/preview_fields', ['jquery'], function ($) {
  'use strict';

  var DATE_TYPES = ['date', 'date_time', 'birthday'];

  function create(ctx) {
    var t = ctx.i18n.t;

    function valueText(field, value) {
      var option = $.grep((field && field.enums) || [], function (e) {
        return value.enum_id !== undefined && String(e.id) === String(value.enum_id);
      })[0];
      if (option) {
        return option.value;
      }
      var raw = value.value !== undefined ? value.value : value.enum_code || value.enum_id;
      if (raw === true || raw === false) {
        return t(raw ? 'field_rules.yes' : 'field_rules.no');
      }
      if (field && $.inArray(field.type, DATE_TYPES) >= 0 && /^\d+$/.test(String(raw))) {
        return ctx.i18n.formatDate(Number(raw) * 1000, ctx.accountZone);
      }
      return raw === undefined || raw === null ? '' : String(raw);
    }

    /** [{id, name, text}] of the answer's `fields`, `meta` the settings lookup. */
    function rows(fields, meta) {
      var byId = {};
      $.each((meta.lead_fields && meta.lead_fields.custom) || [], function (_, field) {
        byId[field.id] = field;
      });
      return $.map(fields || [], function (entry) {
        var field = byId[entry.field_id];
        var texts = $.grep(
          $.map(entry.values || [], function (value) {
            return valueText(field, value);
          }),
          Boolean
        );
        return {
          id: entry.field_id,
          name: entry.name || (field && field.name) || String(entry.field_id),
          text: texts.length ? texts.join(', ') : t('schedules.preview.field_empty'),
          empty: !texts.length
        };
      });
    }

    return { rows: rows };
  }

  return { create: create };
});
