/*
 * What the screens' panels share: the licence line, the busy button, the loading spinner,
 * drawing a panel into amoCRM's right column, the copy button and idempotency keys that
 * survive a retry of the same choice.
 */
define('dealcopy/panel', ['jquery', 'dealcopy/ids', 'dealcopy/rule_form'], function ($, ids, ruleForm) {
  'use strict';

  // A screen still loading after this long says so and offers a retry (within 5 s of opening it).
  var SLOW_MS = 3500;

  function create(ctx) {
    var self = ctx.widget;
    var t = ctx.i18n.t;
    var problems = ctx.problems;
    var daysText = ctx.i18n.daysText;

    function licenceLine($slot, licence) {
      $slot.removeClass('dealcopy-licence_expired');
      if (!licence) {
        $slot.text('');
        return;
      }
      if (licence.active) {
        $slot.text(t('licence.available', { days: daysText(licence.days_left) }));
      } else {
        $slot.addClass('dealcopy-licence_expired').text(t('licence.expired'));
      }
    }

    /** The busy state of a button; `keepEnabled` lets a screen hear presses made while it is busy. */
    function setBusy($button, busy, busyText, keepEnabled) {
      var $text = $button.find('.dealcopy-button__text');
      if (busy) {
        $button.data('idle-text', $text.text());
        $text.text(busyText);
      } else if ($button.data('idle-text')) {
        $text.text($button.data('idle-text'));
      }
      $button.prop('disabled', busy && !keepEnabled).toggleClass('dealcopy-button_busy', busy).attr('aria-busy', busy ? 'true' : 'false');
    }

    function loadingInto($root) {
      $root.html('<div class="dealcopy-loading"><span class="dealcopy-spinner"></span></div>');
      $root.find('.dealcopy-loading').append(document.createTextNode(' ' + t('panel.loading')));
    }

    /**
     * Once the rule form's and the screen's templates and the account metadata (`metaRequest`)
     * are loaded, `build(meta)`; a failure shows the problem in `$root` with `retry` offered.
     * An answer slower than SLOW_MS (amoCRM answering 429, a cold backend) is said so, with
     * `retry`, while it is still awaited: a late answer still draws the screen.
     */
    function loadScreen($root, templates, metaRequest, build, retry) {
      var settled = false;
      var slow = ctx.timers.later(function () {
        if (!settled) {
          slowInto($root, retry);
        }
      }, SLOW_MS);
      $.when(ctx.templates.load(ruleForm.TEMPLATES.concat(templates)), metaRequest).then(
        function (_, meta) {
          settled = true;
          ctx.timers.cancel(slow);
          build(meta);
        },
        function (problem) {
          settled = true;
          ctx.timers.cancel(slow);
          problems.failedInto($root, problem, retry);
        }
      );
    }

    /** Still loading after SLOW_MS: what is going on and a retry, beside the spinner. */
    function slowInto($root, retry) {
      $root.attr('data-state', 'slow').find('.dealcopy-slow').remove();
      var $box = $('<div class="dealcopy-alert dealcopy-alert_warning dealcopy-slow" role="status"></div>').appendTo($root);
      $('<div class="dealcopy-alert__text"></div>').text(t('panel.slow')).appendTo($box);
      if (retry) {
        $('<button type="button" class="dealcopy-link" data-action="retry-load"></button>')
          .text(t('panel.retry'))
          .on('click', retry)
          .appendTo($box);
      }
    }

    /**
     * A panel in amoCRM's right column: a spinner until its templates and the account metadata
     * load, then `build($root, meta)`; a failure offers a retry that draws the panel afresh.
     */
    function renderPanel(prefix, templates, build) {
      var rootId = ctx.nextUid(prefix);
      self.render_template({
        caption: { class_name: 'dealcopy-caption' },
        body: '',
        render: '<div class="dealcopy dealcopy-root" id="' + rootId + '"></div>'
      });
      var $root = $('#' + rootId);
      loadingInto($root);
      loadScreen($root, templates, ctx.api.loadMeta(), function (meta) {
        build($root, meta);
      }, function () {
        $root.remove();
        renderPanel(prefix, templates, build);
      });
    }

    /** The copy button of a panel: editing the rule clears the last problem; a disabled button ignores clicks. */
    function onCopy(form, $button, $error, copy) {
      form.onChange(function () {
        form.clearErrors();
        problems.hideProblem($error);
      });
      $button.on('click', function () {
        if (!$button.prop('disabled')) {
          copy();
        }
      });
    }

    /** Remembers the last request body so a retry of the same choice reuses its idempotency key. */
    function keyKeeper(prefix) {
      var last = null;
      return {
        keyFor: function (body) {
          var json = JSON.stringify(body);
          if (!last || last.json !== json || last.done) {
            last = { json: json, key: ids.newKey(prefix), done: false };
          }
          return last.key;
        },
        succeeded: function () {
          if (last) {
            last.done = true;
          }
        }
      };
    }

    return {
      licenceLine: licenceLine,
      setBusy: setBusy,
      loadingInto: loadingInto,
      loadScreen: loadScreen,
      renderPanel: renderPanel,
      onCopy: onCopy,
      keyKeeper: keyKeeper
    };
  }

  return { create: create };
});
