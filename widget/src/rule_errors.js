/*
 * Where a rule error (`errors[].path` of a problem) belongs in the rule form: the role of the
 * control it sits next to and, for a field of `fields[i]`, the index of that field.
 * Pure functions: no widget instance, no DOM.
 */
define('dealcopy/rule_errors', [], function () {
  'use strict';

  // paths whose error sits on the tree's «Сделка» node
  var LEAD_NODE = { fields: true, exclude_fields: true, anonymise_extra_field_ids: true, source_link_field_id: true };
  var OWN_CONTROL = { pipeline_id: 'pipeline_id', status_id: 'status_id', responsible: 'responsible' };

  /** {role, fieldIndex}: `role` is a form's `data-role` (or `lead` for the tree's deal node), null for none. */
  function placeOf(path, hasNameInput) {
    var text = String(path || '');
    var root = text.split(/[.[]/)[0];
    var index = /^fields\[(\d+)\]/.exec(text);
    var role = null;
    if (OWN_CONTROL[root]) {
      role = OWN_CONTROL[root];
    } else if (LEAD_NODE[root] || (root === 'name_template' && !hasNameInput)) {
      role = 'lead';
    } else if (root === 'name_template') {
      role = 'name_template';
    } else if (root === 'catalogs' || root === 'exclude_elements') {
      role = 'tree';
    }
    return { role: role, fieldIndex: index && role === 'lead' ? Number(index[1]) : null };
  }

  return { placeOf: placeOf };
});
