/*
 * Deals by name in the lists a person reads (the account's repeats and pending copies): rows are
 * drawn at once with «Сделка #id», then GET /widget/leads names the deals the user may view and
 * each link reads «Сделка «name»» (a deal the user may not view keeps its number).
 */
define('dealcopy/lead_names', ['jquery'], function ($) {
  'use strict';

  var MAX_IDS = 250; // what GET /widget/leads answers in one call

  function create(ctx) {
    var t = ctx.i18n.t;

    /** Names every `[data-lead-name]` link inside `$slot` (its value is the deal's id). */
    function fill($slot) {
      var $links = $slot.find('[data-lead-name]');
      var ids = [];
      $links.each(function () {
        var id = parseInt($(this).attr('data-lead-name'), 10);
        if (id && $.inArray(id, ids) < 0) {
          ids.push(id);
        }
      });
      if (!ids.length) {
        return $.Deferred().resolve().promise();
      }
      return ctx.api.call('GET', '/widget/leads?ids=' + ids.slice(0, MAX_IDS).join(',')).done(function (answer) {
        var names = {};
        $.each((answer && answer.leads) || [], function (_, lead) {
          names[lead.id] = lead.name;
        });
        $links.each(function () {
          var name = names[parseInt($(this).attr('data-lead-name'), 10)];
          if (name) {
            $(this).text(t('schedules.repeat.lead_named', { name: name }));
          }
        });
      });
    }

    return { fill: fill };
  }

  return { create: create };
});
