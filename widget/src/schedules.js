/*
 * Copies later and again in the screens, behind one door: the card's preview, «Повторять» and the deal's
 * pending copies; the settings page's repeats and pending copies; the DP dialog's «Создать
 * позже». Each screen makes one call here after drawing its rule form, so the screens stay
 * unaware of schedules. The card asks the backend one thing at a time (preview, repeats,
 * pending copies): the local stack, like one Lambda instance, answers one request at a time.
 */
define('dealcopy/schedules', [
  'jquery',
  'dealcopy/preview',
  'dealcopy/repeats',
  'dealcopy/scheduled',
  'dealcopy/delay_form'
], function ($, preview, repeats, scheduled, delayForm) {
  'use strict';

  var SCHEDULES_TEMPLATES = ['schedules_page'];

  function create(ctx) {
    var previews = preview.create(ctx);
    var repeatLists = repeats.create(ctx);
    var pendingLists = scheduled.create(ctx);
    var later = delayForm.create(ctx);
    var templates = repeats.TEMPLATES.concat(scheduled.TEMPLATES, SCHEDULES_TEMPLATES);

    /** The card panel `$root` (drawn, with its rule `form`) gains the preview, «Повторять» and the pending copies. */
    function card($root, form, leadId, meta) {
      var shown = previews.attach($root, form, leadId, meta);
      if (!leadId) {
        return;
      }
      var $box = $('<div class="dealcopy-sched-card"></div>');
      var $licence = $root.find('[data-slot="licence"]').first();
      if ($licence.length) {
        $box.insertBefore($licence);
      } else {
        $root.children().first().append($box);
      }
      shown.refresh().always(function () {
        ctx.templates.load(templates).done(function () {
          var $repeats = $('<div></div>').appendTo($box);
          var $pending = $('<div class="dealcopy-sched" data-slot="pending"></div>').appendTo($box);
          var repeatList = repeatLists.cardSection($repeats, form, leadId, meta);
          var pendingList = pendingLists.list($pending, meta, leadId);
          repeatList.load().always(pendingList.load);
        });
      });
    }

    /** The settings page: a section with the account's repeats and pending copies, before `$before`. */
    function settings($before, meta) {
      ctx.templates.load(templates).done(function () {
        var $section = $(ctx.templates.html('schedules_page')).insertBefore($before);
        var repeatList = repeatLists.list($section.find('[data-slot="repeat-list"]'), meta, null);
        var pendingList = pendingLists.list($section.find('[data-slot="pending-list"]'), meta, null);
        repeatList.load().always(pendingList.load);
      });
    }

    /** The DP dialog's rule `form` gains «Создать позже»; `saved` is the rule the dialog opened with. */
    function dp(form, meta, saved) {
      return later.attach(form, meta, saved && saved.delay);
    }

    return { card: card, settings: settings, dp: dp };
  }

  return { create: create };
});
