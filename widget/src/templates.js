/*
 * The Twig templates of templates/*.twig, loaded through amoCRM's self.render once each and
 * rendered with the i18n sections as `lang`. Screens list the templates they need in a
 * `..._TEMPLATES = [...]` constant: `make widget` checks that each one exists.
 */
define('dealcopy/templates', ['jquery'], function ($) {
  'use strict';

  var TEMPLATE_TIMEOUT_MS = 15000;

  function create(ctx) {
    var self = ctx.widget;
    var t = ctx.i18n.t;
    var templates = {};

    /** Loads templates/<name>.twig through amoCRM's self.render (Twig), once each. */
    function load(names) {
      var done = $.Deferred();
      var missing = $.grep(names, function (name) {
        return !templates[name];
      });
      if (!missing.length) {
        return done.resolve().promise();
      }
      var pending = missing.length;
      var timeout = ctx.timers.later(function () {
        done.reject({ status: 0, code: 'templates', detail: t('errors.templates'), errors: [] });
      }, TEMPLATE_TIMEOUT_MS);
      $.each(missing, function (_, name) {
        self.render(
          {
            href: '/templates/' + name + '.twig',
            base_path: ctx.env.widgetPath(),
            v: ctx.env.version(),
            load: function (template) {
              templates[name] = template;
              pending -= 1;
              if (pending === 0) {
                ctx.timers.cancel(timeout);
                done.resolve();
              }
            }
          },
          {}
        );
      });
      return done.promise();
    }

    function html(name, data) {
      return templates[name].render($.extend({ lang: ctx.i18n.langTree() }, data || {}));
    }

    return { load: load, html: html };
  }

  return { create: create };
});
