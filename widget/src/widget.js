/*
 * «Копия сделки» — the amoCRM widget of amo-dealcopy: the constructor amoCRM instantiates and its
 * callbacks. It only wires the modules below and sends each amoCRM callback to its screen.
 *
 * Areas (manifest.json `locations`) and their screens:
 *   lcard-1           dealcopy/card           the panel in the lead card's right column (manual 6.1–6.4)
 *   llist-1           dealcopy/mass_copy      mass action of the lead list: copy the selected deals
 *   digital_pipeline  dealcopy/dp             the Digital Pipeline action dialog (manual 6.5–6.9)
 *   settings          dealcopy/settings_page  licence state, presets, the last copies and failures
 *
 * `ctx` is one widget instance's toolbox, built in dependency order: widget (amoCRM's object),
 * i18n, env, timers, nextUid, api, templates, problems, ruleForm, panel. A screen module
 * exports `create(ctx)` returning `{render}`. No external resources are loaded: jQuery and Twig
 * come from amoCRM's own page, the rest ships in the archive (`make widget` bundles src/*.js
 * into the one script.js amoCRM loads).
 */
define('dealcopy/widget', [
  'dealcopy/i18n',
  'dealcopy/env',
  'dealcopy/timers',
  'dealcopy/ids',
  'dealcopy/api',
  'dealcopy/templates',
  'dealcopy/problems',
  'dealcopy/rule_form',
  'dealcopy/panel',
  'dealcopy/card',
  'dealcopy/mass_copy',
  'dealcopy/dp',
  'dealcopy/settings_page'
], function (i18n, env, timers, ids, api, templates, problems, ruleForm, panel, card, massCopy, dp, settingsPage) {
  'use strict';

  /** The shared toolbox of one widget instance; each step may use the ones before it. */
  function toolbox(widget) {
    var ctx = { widget: widget };
    ctx.i18n = i18n.create(ctx);
    ctx.env = env.create(ctx);
    ctx.timers = timers.create();
    ctx.nextUid = ids.uids();
    ctx.api = api.create(ctx);
    ctx.templates = templates.create(ctx);
    ctx.problems = problems.create(ctx);
    ctx.ruleForm = ruleForm.create(ctx);
    ctx.panel = panel.create(ctx);
    return ctx;
  }

  var CustomWidget = function () {
    var ctx = toolbox(this);
    var screens = {
      card: card.create(ctx),
      massCopy: massCopy.create(ctx),
      dp: dp.create(ctx),
      settings: settingsPage.create(ctx)
    };

    this.callbacks = {
      render: function () {
        ctx.env.ensureStyle();
        if (ctx.env.area() === 'lcard') {
          screens.card.render();
        }
        return true;
      },
      init: function () {
        return true;
      },
      bind_actions: function () {
        return true;
      },
      settings: function ($modal) {
        ctx.env.ensureStyle();
        screens.settings.render($modal);
        return true;
      },
      onSave: function () {
        // amoCRM stores `backend_url`; a new address means new metadata.
        ctx.api.forgetMeta();
        return true;
      },
      destroy: function () {
        ctx.timers.cancelAll();
        ctx.api.forgetMeta();
      },
      dpSettings: function () {
        ctx.env.ensureStyle();
        screens.dp.render();
        return true;
      },
      advancedSettings: function () {
        return true;
      },
      leads: {
        selected: function () {
          ctx.env.ensureStyle();
          screens.massCopy.render();
          return true;
        }
      },
      contacts: {
        selected: function () {
          return true;
        }
      },
      todo: {
        selected: function () {
          return true;
        }
      }
    };

    return this;
  };

  return CustomWidget;
});
