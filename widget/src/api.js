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
        problem.detail = status ? t('errors.http', { status: status }) : t('errors.network');
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

    /** GET /widget/settings once per page (pipelines, users, fields, catalogs, presets, licence). */
    function loadMeta(force) {
      if (force || !metaRequest || metaRequest.state() === 'rejected') {
        metaRequest = call('GET', '/widget/settings');
      }
      return metaRequest;
    }

    /** A new backend address (onSave) or an unloaded widget: the next loadMeta asks again. */
    function forgetMeta() {
      metaRequest = null;
    }

    return { call: call, loadMeta: loadMeta, forgetMeta: forgetMeta };
  }

  return { create: create };
});
