/*
 * The copy's name template (`name_template`): what the form stores and what the widget shows as
 * «Будет создана: …». Placeholders the backend fills (copying/naming.py): {name}, {id}, {date},
 * {pipeline}, {n}. Pure functions: no widget instance, no DOM.
 */
define('dealcopy/copy_name', [], function () {
  'use strict';

  /** What an empty name field means: the source's own name (the backend's default when none is stored). */
  var SOURCE_NAME = '{name}';
  /** A new rule's name: the source's name and the day it was copied, so copies are told apart in lists. */
  var DEFAULT_NAME = '{name} ({date})';

  /** The template a rule stores for what the user typed: null for the source's own name. */
  function templateOf(text) {
    var template = String(text == null ? '' : text).replace(/^\s+|\s+$/g, '');
    return !template || template === SOURCE_NAME ? null : template;
  }

  /** `template` with the known placeholders filled from `values`; unknown ones stay as typed. */
  function render(template, values) {
    return String(template || SOURCE_NAME).replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  /** {date} as the backend renders it (copying/naming.py): dd.mm.yyyy in `zone`. */
  function dateText(date, zone) {
    var options = { day: '2-digit', month: '2-digit', year: 'numeric' };
    try {
      return new Intl.DateTimeFormat('ru-RU', Object.assign({ timeZone: zone }, options)).format(date);
    } catch (unknownZone) {
      return new Intl.DateTimeFormat('ru-RU', options).format(date);
    }
  }

  /** The placeholders' values the widget can know before the copy exists. */
  function previewValues(lead, pipeline, dateText, sourceWord) {
    return {
      name: lead ? lead.name : sourceWord,
      id: lead ? lead.id : '…',
      pipeline: pipeline ? pipeline.name : '',
      n: '', // a repeat's occurrence number: empty for a single copy, as the backend renders it
      date: dateText
    };
  }

  return {
    SOURCE_NAME: SOURCE_NAME,
    DEFAULT_NAME: DEFAULT_NAME,
    templateOf: templateOf,
    render: render,
    previewValues: previewValues,
    dateText: dateText
  };
});
