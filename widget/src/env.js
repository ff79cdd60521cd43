/*
 * What amoCRM gives around the widget: its globals, the widget's settings, version, path,
 * the area it is drawn in, and the stylesheet link. Nothing here talks to our backend.
 */
define('dealcopy/env', ['jquery'], function ($) {
  'use strict';

  var STYLE_ID = 'dealcopy-widget-style';

  function create(ctx) {
    var self = ctx.widget;

    function host() {
      return window.AMOCRM || window.APP || {};
    }

    function settings() {
      return (typeof self.get_settings === 'function' && self.get_settings()) || {};
    }

    function version() {
      return (typeof self.get_version === 'function' && self.get_version()) || settings().version || '1';
    }

    function widgetPath() {
      return (self.params && self.params.path) || settings().path || '';
    }

    /** The widget's code in this account (amoCRM marks our DP action and settings modal with it). */
    function widgetCode() {
      return settings().widget_code || (self.params && self.params.widget_code);
    }

    function area() {
      var system = (typeof self.system === 'function' && self.system()) || {};
      return system.area || '';
    }

    function ensureStyle() {
      if (!document.getElementById(STYLE_ID)) {
        $('head').append(
          $('<link>', {
            id: STYLE_ID,
            rel: 'stylesheet',
            type: 'text/css',
            href: widgetPath() + '/style.css?v=' + encodeURIComponent(version())
          })
        );
      }
    }

    return {
      host: host,
      settings: settings,
      version: version,
      widgetPath: widgetPath,
      widgetCode: widgetCode,
      area: area,
      ensureStyle: ensureStyle
    };
  }

  return { create: create };
});
