/*
 * The stage select of the rule form: its options (closed stages marked), which one to preselect
 * (a won or lost stage never by default: the first open one), and whether a choice must be
 * confirmed (a closed stage makes a closed deal). Pure functions: no widget instance, no DOM.
 */
define('dealcopy/stage_choice', ['dealcopy/meta'], function (accountMeta) {
  'use strict';

  /** [{value, label}] of a pipeline's stages; `closedMark` follows a won or lost stage's name. */
  function options(pipeline, closedMark) {
    return ((pipeline && pipeline.statuses) || []).map(function (status) {
      return {
        value: String(status.id),
        label: accountMeta.isClosedStatus(status) ? status.name + ' · ' + closedMark : status.name
      };
    });
  }

  /** The stage to select: `statusId` when the pipeline has it, else the first open stage (or the first). */
  function preselect(pipeline, statusId) {
    var values = options(pipeline, '').map(function (option) {
      return option.value;
    });
    if (statusId && values.indexOf(String(statusId)) >= 0) {
      return String(statusId);
    }
    var open = accountMeta.firstOpenStatus(pipeline);
    return open ? String(open.id) : values[0] || null;
  }

  /** The starting stage of a new form: a won or lost source's copy starts in the first open stage. */
  function startingStatus(pipeline, statusId) {
    if (pipeline && accountMeta.isClosedId(statusId)) {
      var open = accountMeta.firstOpenStatus(pipeline);
      return open && open.id;
    }
    return statusId;
  }

  /** The closed stage chosen (to confirm), or null when `value` is open or already accepted. */
  function needsConfirm(pipeline, value, accepted) {
    var status = ((pipeline && pipeline.statuses) || []).filter(function (s) {
      return String(s.id) === String(value);
    })[0];
    return status && accountMeta.isClosedStatus(status) && String(value) !== String(accepted) ? status : null;
  }

  return { options: options, preselect: preselect, startingStatus: startingStatus, needsConfirm: needsConfirm };
});
