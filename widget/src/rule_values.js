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
        out.name_template = box.on ? null : (base && base.name_template) || anonymousName;
      } else {
        out[box.key] = !anonymous && !!box.on;
      }
    });
    if (choice.name !== undefined) {
      out.name_template = copyName.templateOf(choice.name);
    }
    return out;
  }

  /** The name field's text for a rule: its template, or the anonymous or the source's name. */
  function nameText(rule, anonymousName) {
    return rule.name_template || (rule.anonymise ? anonymousName : copyName.SOURCE_NAME);
  }

  return { responsibleOf: responsibleOf, responsibleChoice: responsibleChoice, compose: compose, nameText: nameText };
});
