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
      var selected = selectedLeadIds();
      var ids = selected;
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
      var $retry = $root.find('[data-action="retry-failed"]');
      var $again = $root.find('[data-slot="again"]');
      var askedFor = null; // the deals of a press the backend found already copied, until the person answers
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

      var names = {}; // lead id -> name, for sources and copies (GET /widget/leads)
      var lastState = null;

      /** Learns the names of `leadIds` not known yet, then redraws the rows. */
      function learnNames(leadIds) {
        var unknown = $.grep(leadIds, function (id) {
          return id && !Object.prototype.hasOwnProperty.call(names, id);
        });
        if (!unknown.length) {
          return;
        }
        $.each(unknown, function (_, id) {
          names[id] = null; // asked once
        });
        api('GET', '/widget/leads?ids=' + unknown.join(',')).done(function (answer) {
          $.each((answer && answer.leads) || [], function (_, lead) {
            names[lead.id] = lead.name;
          });
          if (lastState) {
            drawRows();
          }
        });
      }

      var byId = {}; // every selected row's last known state, across a retry of the failed ones

      function merge(state) {
        $.each(state.results || [], function (_, row) {
          byId[row.lead_id] = row;
        });
        var counts = { done: 0, failed: 0, pending: 0 };
        $.each(selected, function (_, id) {
          var row = byId[id];
          counts[row && (row.state === 'done' || row.state === 'failed') ? row.state : 'pending'] += 1;
        });
        return { total: selected.length, done: counts.done, failed: counts.failed, results: $.map(selected, function (id) {
          return byId[id] || null;
        }) };
      }

      function rows() {
        return $.map(selected, function (id) {
          var row = byId[id] || { lead_id: id, state: 'pending' };
          var copyName = row.copy_id && names[row.copy_id];
          return {
            lead_id: id,
            source_url: leadUrl(meta, id),
            source_name: names[id] || '',
            state: row.state,
            copy_id: row.copy_id,
            url: row.url,
            text:
              row.state === 'done'
                ? t('bulk.row_done', { id: row.copy_id }) + (copyName ? ' «' + copyName + '»' : '')
                : row.state === 'failed'
                  ? messageOf(row.error) || t('bulk.row_failed')
                  : t('bulk.row_pending')
          };
        });
      }

      function drawRows() {
        $results.html(html('bulk_rows', { rows: rows() }));
      }

      function failedIds(state) {
        return $.map(state.results || [], function (row) {
          return row.state === 'failed' ? row.lead_id : null;
        });
      }

      function showState(answer) {
        var state = merge(answer);
        lastState = state;
        var total = state.total;
        var done = state.done || 0;
        var failed = state.failed || 0;
        var percent = total ? Math.round((100 * (done + failed)) / total) : 0;
        $progress.prop('hidden', false);
        $progress.find('[data-bar]').css('width', (total ? (100 * done) / total : 0) + '%');
        $progress.find('[data-bar-failed]').css('width', (total ? (100 * failed) / total : 0) + '%');
        $progress.attr('aria-valuenow', String(percent));
        $progress.toggleClass('dealcopy-progress_failed', failed > 0);
        $progress
          .find('[data-text]')
          .text(
            failed
              ? t('bulk.summary_failed', { done: done, failed: failed, total: total })
              : t('bulk.summary', { done: done, total: total })
          );
        drawRows();
        var copies = $.map(state.results || [], function (row) {
          return row.copy_id || null;
        });
        learnNames(copies);
        return state;
      }

      function follow(batchId, misses) {
        api('GET', '/copies/bulk/' + encodeURIComponent(batchId))
          .done(function (state) {
            var merged = showState(state);
            if ((state.pending || 0) > 0) {
              poll = ctx.timers.later(function () {
                follow(batchId, 0);
              }, POLL_MS);
            } else {
              $progress.addClass('dealcopy-progress_done');
              panel.setBusy($button, false);
              var failed = failedIds(merged);
              $retry.prop('hidden', !failed.length).find('[data-text]').text(t('bulk.retry_failed', { n: failed.length }));
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

      /** The backend found these deals copied by an earlier press with this rule: ask before making more. */
      function askAgain(leadIds, problem) {
        askedFor = leadIds;
        var counts = problem.body || {};
        $again
          .find('[data-text]')
          .text(t('bulk.again', { already: counts.already || 0, total: counts.total || leadIds.length }));
        $again.prop('hidden', false);
      }

      function start(leadIds, confirmed) {
        if (poll) {
          ctx.timers.cancel(poll);
        }
        $retry.prop('hidden', true);
        $again.prop('hidden', true);
        askedFor = null;
        ids = leadIds;
        var body = { lead_ids: ids, rule: form.rule() };
        if (confirmed) {
          body.confirm_again = true;
        }
        var request = $.extend({ idempotency_key: keys.keyFor(body) }, body);
        form.clearErrors();
        problems.hideProblem($error);
        $progress.removeClass('dealcopy-progress_done');
        $.each(ids, function (_, id) {
          delete byId[id]; // these rows are queued again
        });
        showState({ results: [] });
        panel.setBusy($button, true, t('bulk.copying'));
        api('POST', '/copies/bulk', request)
          .done(function (batch) {
            keys.succeeded();
            follow(batch.batch_id, 0);
          })
          .fail(function (problem) {
            $progress.prop('hidden', true);
            $results.empty();
            panel.setBusy($button, false);
            if (problem.code === 'already-copied') {
              askAgain(leadIds, problem);
              return;
            }
            problems.showProblem($error, problem, form);
          });
      }

      panel.onCopy(form, $button, $error, function () {
        start(selected);
      });
      $again.on('click', '[data-action="again-yes"]', function () {
        if (askedFor) {
          start(askedFor, true);
        }
      });
      $again.on('click', '[data-action="again-no"]', function () {
        $again.prop('hidden', true);
        askedFor = null;
      });
      form.onChange(function () {
        $again.prop('hidden', true); // another choice: the answer no longer applies
        askedFor = null;
      });
      // the rows that failed, again, with the same choice: one click
      $retry.on('click', function () {
        if (lastState) {
          start(failedIds(lastState));
        }
      });
      learnNames(ids);
    }

    return { render: renderBulkPanel };
  }

  return { create: create };
});
