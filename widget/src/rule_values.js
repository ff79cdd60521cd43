/*
 * The rule form's choices as a rule object and back: the responsible select, the checkboxes, the
 * name. `compose` is what `ruleForm().rule()` returns before the tree adds fields and lists.
 * Pure functions: no widget instance, no DOM (the form reads its controls and passes the values).
 */
define('dealcopy/rule_values', ['dealcopy/copy_name'], function (copyName) {
  'use strict';

  /** The responsible select's value (`source`, `actor` or a user id) as a rule's `responsible`. */
  function responsibleOf(value) {
    return value === 'source' || value === 'actor' ? { mode: value } : { mode: 'fixed', user_id: Number(value) };
  }

  /**
   * The select's value for a rule's `responsible`; `missing` names a fixed user the select does
   * not list (deactivated or unknown), kept visible so the rule is not changed silently.
   */
  function responsibleChoice(responsible, allowActor, listedIds) {
    var mode = (responsible && responsible.mode) || 'source';
    if (mode === 'fixed') {
      var id = String(responsible.user_id);
      return { value: id, missing: (listedIds || []).indexOf(id) < 0 ? id : null };
    }
    if (mode === 'actor' && !allowActor) {
      return { value: 'source', missing: null };
    }
    return { value: mode, missing: null };
  }

  /**
   * The rule on screen: `base` (keys the form does not edit are kept) with the controls' values.
   * choice: {pipelineId, statusId, responsible (select value), anonymous, contacts, company,
   * std: [{key, on}] (standard field boxes), name (the typed text, or undefined without a name field)}.
   */
  function compose(base, choice, anonymousName) {
    var out = JSON.parse(JSON.stringify(base || {}));
    var anonymous = !!choice.anonymous;
    out.pipeline_id = Number(choice.pipelineId);
    out.status_id = Number(choice.statusId);
    out.responsible = responsibleOf(choice.responsible);
    out.anonymise = anonymous;
    out.copy_contacts = !anonymous && !!choice.contacts;
    out.copy_company = !anonymous && !!choice.company;
    (choice.std || []).forEach(function (box) {
      if (box.key === 'name_template') {
        // ticked: the source's name — with the day for a new rule (nothing loaded) or one saved so, to
        // tell copies apart; unticked: the rule's own template, else the anonymous name
        var own = base && base.name_template;
        var fresh = !base || !Object.prototype.hasOwnProperty.call(base, 'name_template');
        var withDay = !anonymous && (fresh || own === copyName.DEFAULT_NAME);
        out.name_template = box.on ? (withDay ? copyName.DEFAULT_NAME : null) : (own !== copyName.DEFAULT_NAME && own) || anonymousName;
      } else {
        out[box.key] = !anonymous && !!box.on;
      }
    });
    if (choice.name !== undefined) {
      out.name_template = copyName.templateOf(choice.name);
    }
    return out;
  }

  /** Whether the standard box «Название» is ticked for a rule: the source's name, with or without the day. */
  function keepsName(rule) {
    return !rule.name_template || rule.name_template === copyName.DEFAULT_NAME;
  }

  /** The name field's text for a rule: its template, or the anonymous or the source's name. */
  function nameText(rule, anonymousName) {
    return rule.name_template || (rule.anonymise ? anonymousName : copyName.SOURCE_NAME);
  }

  return {
    responsibleOf: responsibleOf,
    responsibleChoice: responsibleChoice,
    compose: compose,
    keepsName: keepsName,
    nameText: nameText
  };
});
