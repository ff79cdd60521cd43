/*
 * Lead list (`llist-1`): the mass action. Takes the selected deals (at most MAX_BULK), posts
 * POST /copies/bulk and polls GET /copies/bulk/{batch_id} every POLL_MS, drawing a progress bar
 * and one row per deal (queued / copy link / error in the user's language).
 */
define('dealcopy/mass_copy', ['jquery', 'dealcopy/meta'], function ($, accountMeta) {
  'use strict';

  var BULK_TEMPLATES = ['bulk', 'bulk_rows'];
  var POLL_MS = 1000;
  var MAX_BULK = 250;

  function create(ctx) {
    var self = ctx.widget;
    var t = ctx.i18n.t;
    var html = ctx.templates.html;
    var messageOf = ctx.i18n.messageOf;
    var api = ctx.api.call;
    var panel = ctx.panel;
    var problems = ctx.problems;
    var leadUrl = accountMeta.leadUrl;

    function selectedLeadIds() {
      var picked = (typeof self.list_selected === 'function' && self.list_selected()) || {};
      var ids = [];
      $.each(picked.selected || [], function (_, item) {
        var id = parseInt(item && item.id, 10);
        if (id && (!item.type || item.type === 'lead' || item.type === 'leads') && $.inArray(id, ids) < 0) {
          ids.push(id);
        }
      });
      return ids;
    }

    function renderBulkPanel() {
      panel.renderPanel('bulk', BULK_TEMPLATES, buildBulkPanel);
    }

    function buildBulkPanel($root, meta) {
      var ids = selectedLeadIds();
      $root.html(html('bulk'));
      var form = ctx.ruleForm($root.find('[data-slot="form"]'), meta, {
        mode: 'bulk',
        presets: true,
        collapseTree: true
      });
      var $button = $root.find('[data-action="copy"]');
      var $error = $root.find('[data-slot="error"]');
      var $progress = $root.find('[data-slot="progress"]');
      var $results = $root.find('[data-slot="results"]');
      var keys = panel.keyKeeper('bulk');
      var poll = null;
      panel.licenceLine($root.find('[data-slot="licence"]'), meta.licence);
      $root.find('[data-slot="selected"]').text(t('bulk.selected', { n: ids.length }));
      $button.find('.dealcopy-button__text').text(t('bulk.copy', { n: ids.length }));
      if (!ids.length || ids.length > MAX_BULK) {
        $button.prop('disabled', true);
        problems.showProblem($error, {
          detail: ids.length ? t('bulk.too_many', { max: MAX_BULK }) : t('bulk.none'),
          errors: []
        });
      }

      function rows(state) {
        var byId = {};
        $.each(state.results || [], function (_, row) {
          byId[row.lead_id] = row;
        });
        return $.map(ids, function (id) {
          var row = byId[id] || { lead_id: id, state: 'pending' };
          return {
            lead_id: id,
            source_url: leadUrl(meta, id),
            state: row.state,
            copy_id: row.copy_id,
            url: row.url,
            text:
              row.state === 'done'
                ? t('bulk.row_done', { id: row.copy_id })
                : row.state === 'failed'
                  ? messageOf(row.error) || t('bulk.row_failed')
                  : t('bulk.row_pending')
          };
        });
      }

      function showState(state) {
        var total = state.total || ids.length;
        var finished = (state.done || 0) + (state.failed || 0);
        var percent = total ? Math.round((100 * finished) / total) : 0;
        $progress.prop('hidden', false);
        $progress.find('[data-bar]').css('width', percent + '%');
        $progress.attr('aria-valuenow', String(percent));
        $progress
          .find('[data-text]')
          .text(t('bulk.progress', { done: state.done || 0, failed: state.failed || 0, total: total }));
        $results.html(html('bulk_rows', { rows: rows(state) }));
      }

      function follow(batchId, misses) {
        api('GET', '/copies/bulk/' + encodeURIComponent(batchId))
          .done(function (state) {
            showState(state);
            if ((state.pending || 0) > 0) {
              poll = ctx.timers.later(function () {
                follow(batchId, 0);
              }, POLL_MS);
            } else {
              $progress.addClass('dealcopy-progress_done');
              panel.setBusy($button, false);
            }
          })
          .fail(function (problem) {
            if (misses < 3 && (problem.status === 0 || problem.status >= 500)) {
              poll = ctx.timers.later(function () {
                follow(batchId, misses + 1);
              }, POLL_MS * 2);
              return;
            }
            problems.showProblem($error, problem);
            panel.setBusy($button, false);
          });
      }

      panel.onCopy(form, $button, $error, function () {
        if (poll) {
          ctx.timers.cancel(poll);
        }
        var body = { lead_ids: ids, rule: form.rule() };
        var request = $.extend({ idempotency_key: keys.keyFor(body) }, body);
        form.clearErrors();
        problems.hideProblem($error);
        $progress.removeClass('dealcopy-progress_done');
        showState({ total: ids.length, done: 0, failed: 0, results: [] });
        panel.setBusy($button, true, t('bulk.copying'));
        api('POST', '/copies/bulk', request)
          .done(function (batch) {
            keys.succeeded();
            follow(batch.batch_id, 0);
          })
          .fail(function (problem) {
            $progress.prop('hidden', true);
            $results.empty();
            problems.showProblem($error, problem, form);
            panel.setBusy($button, false);
          });
      });
    }

    return { render: renderBulkPanel };
  }

  return { create: create };
});
