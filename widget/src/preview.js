/*
 * The card's preview before «СКОПИРОВАТЬ»: what a copy with the current choice
 * would be called, where it would land, who would own it, what it would carry and what not
 * (every skip with its reason: unticked, anonymised, empty, never writable), from POST
 * /copies/preview (one read of the source; nothing is made). It refreshes when the form
 * changes, debounced, and an answer that is no longer current is dropped.
 */
define('dealcopy/preview', ['jquery', 'dealcopy/copy_result', 'dealcopy/preview_fields'], function (
  $,
  copyResult,
  previewFields
) {
  'use strict';

  var PREVIEW_TEMPLATES = ['preview'];
  var PREVIEW_DELAY_MS = 600;
  var SLOW_MS = 3500; // a preview still loading after this long says why
  var OPEN_UP_TO = 5; // a short list of skips is shown open, a long one folded
  var FIELDS_OPEN_UP_TO = 12;

  function create(ctx) {
    var t = ctx.i18n.t;
    var html = ctx.templates.html;
    var messageOf = ctx.i18n.messageOf;
    var result = copyResult.create(ctx);
    var fieldRows = previewFields.create(ctx).rows;

    function userName(meta, id) {
      var user = $.grep(meta.users || [], function (u) {
        return u.id === id;
      })[0];
      return user ? user.name : t('schedules.preview.unknown_user', { id: id });
    }

    /** The deal's own linked element by name, as the form's tree lists it (the plan names only its list). */
    function elementName(form, skip) {
      if (skip.what !== 'catalog_element' || !skip.ref) {
        return '';
      }
      return $.trim(form.$el.find('[data-element="' + skip.ref + '"]').closest('label').find('.dealcopy-check__text').text());
    }

    function view(plan, meta, form) {
      var parts = result.carriedParts(plan.carried);
      var skipped = $.map(plan.skipped || [], function (skip) {
        var element = elementName(form, skip);
        var what = skip.name ? result.whatName(skip.what) + ' «' + skip.name + '»' : result.whatName(skip.what);
        return {
          code: skip.code,
          what: element ? t('schedules.preview.element', { name: element, list: skip.name || '' }) : what,
          reason: messageOf(skip)
        };
      });
      var fields = fieldRows(plan.fields, meta);
      return {
        fields: fields,
        fields_title: t('schedules.preview.fields', { n: fields.length }),
        fields_open: fields.length <= FIELDS_OPEN_UP_TO,
        name: plan.name ? t('schedules.preview.name', { name: plan.name }) : '',
        stage: plan.stage ? t('schedules.preview.stage', { stage: plan.stage }) : '',
        responsible: plan.responsible_user_id
          ? t('schedules.preview.responsible', { name: userName(meta, plan.responsible_user_id) })
          : '',
        carried: parts.length ? t('schedules.preview.carried', { what: parts.join(' · ') }) : t('schedules.preview.carried_nothing'),
        warnings: $.grep($.map(plan.warnings || [], result.warningText), Boolean),
        skipped: skipped,
        skipped_title: t('schedules.preview.skipped', { n: skipped.length }),
        open: skipped.length <= OPEN_UP_TO
      };
    }

    /**
     * Draws the preview block before the panel's copy button and keeps it current with `form`;
     * returns `{refresh}` (a promise of the first drawing, so the caller can ask the next thing after it).
     */
    function attach($root, form, leadId, meta) {
      var $box = $('<div class="dealcopy-preview" data-slot="preview" role="status" aria-live="polite"></div>');
      // Below the button and its result, never above: a refreshed preview changes its height, and
      // a control that moves while a pointer is on its way to it takes the click elsewhere.
      var $result = $root.find('[data-slot="result"]').first();
      if ($result.length) {
        $box.insertAfter($result);
      } else {
        $box.insertAfter($root.find('.dealcopy-actions').first());
      }
      var sequence = 0;
      var pending = null;

      function state(kind, message) {
        $box.attr('data-state', kind);
        if (message !== undefined) {
          $box.empty().append($('<div class="dealcopy-preview__note"></div>').text(message));
        }
      }

      function refresh() {
        pending = null;
        sequence += 1;
        var mine = sequence;
        if (!leadId) {
          $box.prop('hidden', true);
          return $.Deferred().resolve().promise();
        }
        if ($box.attr('data-state') !== 'stale') {
          state('busy', t('schedules.preview.loading'));
        }
        // amoCRM answering 429 can hold the source's read for many seconds: say so, the copy button still works
        var slow = ctx.timers.later(function () {
          if (mine === sequence && !pending && $box.attr('data-state') !== 'ready') {
            state('slow', t('schedules.preview.slow'));
          }
        }, SLOW_MS);
        return ctx.templates.load(PREVIEW_TEMPLATES).then(function () {
          return ctx.api
            .call('POST', '/copies/preview', { lead_id: leadId, rule: form.rule() })
            .always(function () {
              ctx.timers.cancel(slow);
            })
            .done(function (plan) {
              if (mine === sequence && !pending) {
                $box.html(html('preview', view(plan, meta, form)));
                state('ready');
              }
            })
            .fail(function (problem) {
              if (mine === sequence && !pending) {
                // a rule error is already said beside its control: not twice
                var words = (problem.errors || []).length ? t('schedules.preview.fix_first') : t('schedules.preview.failed', { detail: problem.detail });
                state('error', words);
              }
            });
        });
      }

      form.onChange(function () {
        if (pending) {
          ctx.timers.cancel(pending);
        }
        $box.find('.dealcopy-preview__stale').remove();
        $box.attr('data-state', 'stale').prepend($('<div class="dealcopy-preview__stale"></div>').text(t('schedules.preview.stale')));
        pending = ctx.timers.later(refresh, PREVIEW_DELAY_MS);
      });
      return { refresh: refresh };
    }

    return { attach: attach };
  }

  return { create: create };
});
