/*
 * Timeouts the widget owns (polling, debounced signing, template loading), so `destroy`
 * can stop every one of them when amoCRM unloads the widget.
 */
define('dealcopy/timers', ['jquery'], function ($) {
  'use strict';

  function create() {
    var timers = [];

    function forget(id) {
      timers = $.grep(timers, function (other) {
        return other !== id;
      });
    }

    function later(fn, ms) {
      var id = setTimeout(function () {
        forget(id);
        fn();
      }, ms);
      timers.push(id);
      return id;
    }

    function cancel(id) {
      clearTimeout(id);
      forget(id);
    }

    function cancelAll() {
      $.each(timers.slice(), function (_, id) {
        clearTimeout(id);
      });
      timers = [];
    }

    return { later: later, cancel: cancel, cancelAll: cancelAll };
  }

  return { create: create };
});
