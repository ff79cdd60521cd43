/*
 * The API client: every call to our backend goes through amoCRM's self.$authorizedAjax (a
 * one-time JWT in X-Auth-Token) with Accept-Language set to the user's language, so
 * problem+json answers come back in that language. A failed call rejects with a "problem"
 * ({status, code, detail, errors, body}) that dealcopy/problems knows how to show.
 */
define('dealcopy/api', ['jquery'], function ($) {
  'use strict';

  // Replaced by `make widget BACKEND_URL=...`; the widget setting `backend_url` overrides it.
  var DEFAULT_BACKEND_URL = 'https://api.dealcopy.example';
  var TIMEOUT_MS = 60000;
  // Answers a retry with the same body finishes (usecases/copies.py), and how often the widget retries.
  var RETRY_CODES = { 'copy-pending': true, 'copy-unfinished': true, 'in-progress': true };
  var RETRIES = 6;

  function create(ctx) {
    var self = ctx.widget;
    var t = ctx.i18n.t;
    var metaRequest = null;

    function backendUrl() {
      var configured = $.trim(ctx.env.settings().backend_url || '');
      return (configured || DEFAULT_BACKEND_URL).replace(/\/+$/, '');
    }

    /** The problem+json of a failed call, or a local one when nothing readable came back. */
    function problemOf(xhr) {
      var body = null;
      if (xhr && typeof xhr === 'object') {
        body = xhr.responseJSON || null;
        if (!body && xhr.responseText) {
          try {
            body = JSON.parse(xhr.responseText);
          } catch (ignored) {
            body = null;
          }
        }
      }
      var status = (xhr && xhr.status) || 0;
      var problem = {
        status: status,
        code: (body && body.code) || (status ? 'http-' + status : 'network'),
        detail: (body && (body.detail || body.title)) || '',
        errors: (body && $.isArray(body.errors) && body.errors) || [],
        body: body || {}
      };
      if (!problem.detail) {
        problem.detail = status ? t('errors.http') : t('errors.network'); // the status is in `code`, under «подробнее»
      }
      return problem;
    }

    /** One call to our backend through amoCRM's authorized ajax; resolves with the JSON body. */
    function call(method, path, body) {
      var result = $.Deferred();
      var options = {
        url: backendUrl() + path,
        type: method,
        method: method,
        dataType: 'json',
        timeout: TIMEOUT_MS,
        headers: { 'Accept-Language': ctx.i18n.userLang() }
      };
      if (body !== undefined) {
        options.data = JSON.stringify(body);
        options.contentType = 'application/json';
      }
      var request;
      try {
        request = self.$authorizedAjax(options);
      } catch (err) {
        result.reject(problemOf(null));
        return result.promise();
      }
      if (!request || typeof request.then !== 'function') {
        result.reject(problemOf(null));
        return result.promise();
      }
      request.then(
        function (data) {
          result.resolve(data);
        },
        function (xhr) {
          result.reject(problemOf(xhr));
        }
      );
      return result.promise();
    }

    /**
     * `call`, sent again with the very same body (so the same idempotency key) while the backend
     * says a retry will finish the work: 202 `copy-pending` (out of time), 503 `copy-unfinished`
     * (the deal exists, amoCRM failed its notes or products for now), 409 `in-progress` (an earlier
     * try still runs). Waits the answer's `retry_after` (1–10 s), at most RETRIES times, telling
     * `onWait(attempt)` before each; then rejects with the last problem (it names the key).
     */
    function callUntilDone(method, path, body, onWait) {
      var result = $.Deferred();
      function attempt(n) {
        call(method, path, body).then(
          function (data) {
            if (data && data.status === 202 && data.code) {
              again(n, { status: 202, code: data.code, detail: data.detail || '', errors: [], body: data });
            } else {
              result.resolve(data);
            }
          },
          function (problem) {
            again(n, problem);
          }
        );
      }
      function again(n, problem) {
        var seconds = RETRY_CODES[problem.code] ? parseInt(problem.body && problem.body.retry_after, 10) || 3 : 0;
        if (!seconds || n >= RETRIES) {
          result.reject(problem);
          return;
        }
        if (onWait) {
          onWait(n + 1);
        }
        ctx.timers.later(function () {
          attempt(n + 1);
        }, Math.min(Math.max(seconds, 1), 10) * 1000);
      }
      attempt(0);
      return result.promise();
    }

    /** GET /widget/settings once per page (pipelines, users, fields, catalogs, presets, licence). */
    function loadMeta(force) {
      if (force || !metaRequest || metaRequest.state() === 'rejected') {
        metaRequest = call('GET', '/widget/settings');
        metaRequest.done(function (meta) {
          ctx.accountZone = (meta && meta.timezone) || null; // times are labelled with the account's zone
        });
      }
      return metaRequest;
    }

    /** A new backend address (onSave) or an unloaded widget: the next loadMeta asks again. */
    function forgetMeta() {
      metaRequest = null;
    }

    return { call: call, callUntilDone: callUntilDone, loadMeta: loadMeta, forgetMeta: forgetMeta };
  }

  return { create: create };
});
