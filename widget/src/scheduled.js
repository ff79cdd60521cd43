/*
 * Pending delayed copies: copies a Digital Pipeline action with «Создать позже»
 * scheduled and not yet made (GET /scheduled). The card lists the deal's, the settings page
 * the account's; «Отменить» (a second click confirms) deletes one (DELETE /scheduled/{id}).
 */
define('dealcopy/scheduled', ['jquery', 'dealcopy/meta', 'dealcopy/schedule_text', 'dealcopy/lead_names'], function (
  $,
  accountMeta,
  scheduleText,
  leadNames
) {
  'use strict';

  var PENDING_TEMPLATES = ['pending_rows'];

  function create(ctx) {
    var t = ctx.i18n.t;
    var html = ctx.templates.html;
    var api = ctx.api.call;
    var text = scheduleText.create(ctx);
    var names = leadNames.create(ctx);

    function row(meta, pending, withLead) {
      return {
        id: pending.pending_id,
        // a due time already behind us (a late fire): the copy is being made now, and the list says so
        due: t(new Date(pending.due_at).getTime() < Date.now() ? 'schedules.pending.due_past' : 'schedules.pending.due', {
          at: text.at(pending.due_at, pending.timezone)
        }),
        delay: text.delay(pending.delay, meta),
        target: text.target(meta, pending.target),
        lead: withLead ? t('schedules.repeat.lead', { id: pending.lead_id }) : '',
        lead_id: pending.lead_id,
        lead_url: withLead ? accountMeta.leadUrl(meta, pending.lead_id) : ''
      };
    }

    /** The pending copies of `leadId` (null: the account's) in `$slot`; `load()` (re)draws. */
    function list($slot, meta, leadId) {
      function failed(message) {
        $('<div class="dealcopy-alert dealcopy-alert_error" role="alert" data-list-error></div>').text(message).appendTo($slot);
      }

      function load() {
        return api('GET', '/scheduled' + (leadId ? '?lead_id=' + leadId : ''))
          .done(function (answer) {
            $slot.html(
              html('pending_rows', {
                title: leadId ? t('schedules.pending.title_lead') : t('schedules.pending.title'),
                rows: $.map((answer && answer.scheduled) || [], function (pending) {
                  return row(meta, pending, !leadId);
                })
              })
            );
            names.fill($slot);
          })
          .fail(function (problem) {
            $slot.empty();
            failed(t('schedules.pending.loading_failed', { detail: problem.detail }));
          });
      }

      $slot.on('click', '[data-action="pending-cancel"]', function () {
        var $button = $(this);
        if (!$button.hasClass('dealcopy-link_confirm')) {
          $button.addClass('dealcopy-link_confirm').text(t('schedules.pending.cancel_confirm'));
          return;
        }
        var id = $button.closest('[data-pending]').attr('data-pending');
        $slot.find('[data-list-error]').remove();
        $button.prop('disabled', true);
        api('DELETE', '/scheduled/' + encodeURIComponent(id))
          .done(load)
          .fail(function (problem) {
            $button.prop('disabled', false);
            failed(problem.detail);
          });
      });
      return { load: load };
    }

    return { list: list };
  }

  return { create: create, TEMPLATES: PENDING_TEMPLATES };
});
