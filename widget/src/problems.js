/*
 * Error display: a problem (see dealcopy/api) drawn where the user looks. Rule errors
 * (`errors[].path`) go next to their controls of the rule form, the problem's `detail`
 * (already in the user's language) into the panel's alert slot.
 */
define('dealcopy/problems', ['jquery'], function ($) {
  'use strict';

  function create(ctx) {
    var t = ctx.i18n.t;
    var messageOf = ctx.i18n.messageOf;

    function showProblem($slot, problem, form) {
      var unplaced = form && problem.errors.length ? form.showErrors(problem.errors) : problem.errors.map(messageOf);
      // every rule error sits next to its control: say so instead of repeating them with their paths
      var detail = problem.errors.length && !unplaced.length ? t('errors.fix_marked') : problem.detail;
      $slot.empty().prop('hidden', false);
      $('<div class="dealcopy-alert__text"></div>').text(detail).appendTo($slot);
      if (unplaced.length) {
        var $list = $('<ul class="dealcopy-alert__list"></ul>').appendTo($slot);
        $.each(unplaced, function (_, message) {
          $('<li></li>').text(message).appendTo($list);
        });
      }
      moreInto($slot, problem);
    }

    /** Codes and paths are for support, not for a manager: folded under «подробнее». */
    function moreInto($slot, problem) {
      var lines = [];
      if (problem.code) {
        lines.push(t('errors.code', { code: problem.code }));
      }
      $.each(problem.errors || [], function (_, error) {
        if (error.path) {
          lines.push(error.path + (error.code ? ' (' + error.code + ')' : ''));
        }
      });
      if (!lines.length) {
        return;
      }
      var $more = $('<details class="dealcopy-detail" data-detail></details>').appendTo($slot);
      $('<summary></summary>').text(t('errors.more')).appendTo($more);
      $('<div class="dealcopy-detail__body"></div>').text(lines.join('; ')).appendTo($more);
    }

    function hideProblem($slot) {
      $slot.empty().prop('hidden', true);
    }

    /** A panel that could not load: the problem and, when given, a link that tries again. */
    function failedInto($root, problem, retry) {
      $root.empty();
      var $box = $('<div class="dealcopy-alert dealcopy-alert_error" role="alert"></div>').appendTo($root);
      $('<div class="dealcopy-alert__text"></div>').text(problem.detail).appendTo($box);
      if (retry) {
        $('<button type="button" class="dealcopy-link" data-action="retry-load"></button>')
          .text(t('panel.retry'))
          .on('click', retry)
          .appendTo($box);
      }
    }

    return { showProblem: showProblem, hideProblem: hideProblem, failedInto: failedInto };
  }

  return { create: create };
});
