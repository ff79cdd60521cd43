/*
 * «Копия сделки» — the amoCRM widget of amo-dealcopy.
 *
 * Areas (manifest.json `locations`):
 *   lcard-1           the «Копия сделки» panel in the lead card's right column (manual 6.1–6.4)
 *   llist-1           mass action of the lead list: copy the selected deals with one rule
 *   digital_pipeline  the Digital Pipeline action dialog (manual 6.5–6.9): the rule is signed by
 *                     the backend and written into the declared inputs `rule` and `signature`
 *   settings          licence state, presets, the account's last copies and failures
 *
 * Every backend call goes through self.$authorizedAjax (amoCRM adds a one-time JWT in
 * X-Auth-Token) with Accept-Language set to the language amoCRM loaded our i18n in, so
 * problem+json answers come back in the user's language. No external resources are loaded:
 * jQuery and Twig come from amoCRM's own page, the rest ships in the archive.
 */
define(['jquery'], function ($) {
  'use strict';

  // Replaced by `make widget BACKEND_URL=...`; the widget setting `backend_url` overrides it.
  var DEFAULT_BACKEND_URL = 'https://api.dealcopy.example';
  var STYLE_ID = 'dealcopy-widget-style';
  var POLL_MS = 1000;
  var SIGN_DELAY_MS = 350;
  var TEMPLATE_TIMEOUT_MS = 15000;
  var MAX_BULK = 250;

  var CustomWidget = function () {
    var self = this;
    var templates = {};
    var metaRequest = null;
    var timers = [];
    var uidCounter = 0;

    // ------------------------------------------------------------------ i18n and small helpers

    /** A string of i18n/<lang>.json by its dotted path; `{name}` placeholders from `vars`. */
    function t(path, vars) {
      var parts = path.split('.');
      var node = self.i18n(parts[0]);
      for (var i = 1; i < parts.length && node; i++) {
        node = node[parts[i]];
      }
      if (typeof node !== 'string') {
        return path;
      }
      if (!vars) {
        return node;
      }
      return node.replace(/\{(\w+)\}/g, function (whole, key) {
        return Object.prototype.hasOwnProperty.call(vars, key) ? String(vars[key]) : whole;
      });
    }

    /** The language amoCRM loaded our i18n in: the user's language. */
    function userLang() {
      return t('lang.code') === 'en' ? 'en' : 'ru';
    }

    /** The i18n sections the templates read as `lang.<section>.<key>`. */
    function langTree() {
      var tree = {};
      $.each(['form', 'tree', 'panel', 'bulk', 'dp', 'page', 'licence'], function (_, section) {
        tree[section] = self.i18n(section) || {};
      });
      return tree;
    }

    function plural(n, forms) {
      if (userLang() === 'en') {
        return n === 1 ? forms[0] : forms[2];
      }
      var n10 = n % 10;
      var n100 = n % 100;
      if (n10 === 1 && n100 !== 11) {
        return forms[0];
      }
      if (n10 >= 2 && n10 <= 4 && (n100 < 10 || n100 >= 20)) {
        return forms[1];
      }
      return forms[2];
    }

    function daysText(n) {
      return t(plural(n, ['licence.days.one', 'licence.days.few', 'licence.days.many']), { n: n });
    }

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

    function area() {
      var system = (typeof self.system === 'function' && self.system()) || {};
      return system.area || '';
    }

    function nextUid(prefix) {
      uidCounter += 1;
      return 'dealcopy-' + prefix + '-' + uidCounter + '-' + Math.random().toString(36).slice(2, 7);
    }

    /** Keys the backend accepts (`[A-Za-z0-9_.:-]`, 8–128 chars); the same key never copies twice. */
    function newKey(prefix) {
      var random = '';
      if (window.crypto && window.crypto.getRandomValues) {
        var bytes = new Uint8Array(12);
        window.crypto.getRandomValues(bytes);
        for (var i = 0; i < bytes.length; i++) {
          random += ('0' + bytes[i].toString(16)).slice(-2);
        }
      } else {
        random = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
      }
      return prefix + '-' + Date.now().toString(36) + '-' + random;
    }

    function later(fn, ms) {
      var id = setTimeout(function () {
        timers = $.grep(timers, function (other) {
          return other !== id;
        });
        fn();
      }, ms);
      timers.push(id);
      return id;
    }

    function cancel(id) {
      clearTimeout(id);
      timers = $.grep(timers, function (other) {
        return other !== id;
      });
    }

    function formatAt(at) {
      if (at === null || at === undefined || at === '') {
        return '';
      }
      var value = at;
      if (typeof value === 'number' || /^\d+$/.test(String(value))) {
        value = Number(value);
        if (value < 1e12) {
          value *= 1000; // seconds
        }
      }
      var date = new Date(value);
      if (isNaN(date.getTime())) {
        return String(at);
      }
      return date.toLocaleString(userLang() === 'en' ? 'en-GB' : 'ru-RU', {
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit'
      });
    }

    function leadUrl(meta, leadId) {
      var domain = meta && meta.account && meta.account.domain;
      return (domain ? 'https://' + domain : '') + '/leads/detail/' + leadId;
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

    // ------------------------------------------------------------------ backend

    function backendUrl() {
      var configured = $.trim(settings().backend_url || '');
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

    function messageOf(error) {
      if (!error) {
        return '';
      }
      if (typeof error === 'string') {
        return error;
      }
      var ru = error.message_ru || error.reason_ru;
      var en = error.message_en || error.reason_en;
      return (userLang() === 'en' ? en || ru : ru || en) || error.message || error.detail || '';
    }

    /** One call to our backend through amoCRM's authorized ajax; resolves with the JSON body. */
    function api(method, path, body) {
      var result = $.Deferred();
      var options = {
        url: backendUrl() + path,
        type: method,
        method: method,
        dataType: 'json',
        timeout: 60000,
        headers: { 'Accept-Language': userLang() }
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
        metaRequest = api('GET', '/widget/settings');
      }
      return metaRequest;
    }

    // ------------------------------------------------------------------ templates

    /** Loads templates/<name>.twig through amoCRM's self.render (Twig), once each. */
    function loadTemplates(names) {
      var done = $.Deferred();
      var missing = $.grep(names, function (name) {
        return !templates[name];
      });
      if (!missing.length) {
        return done.resolve().promise();
      }
      var pending = missing.length;
      var timeout = later(function () {
        done.reject({ status: 0, code: 'templates', detail: t('errors.templates'), errors: [] });
      }, TEMPLATE_TIMEOUT_MS);
      $.each(missing, function (_, name) {
        self.render(
          {
            href: '/templates/' + name + '.twig',
            base_path: widgetPath(),
            v: version(),
            load: function (template) {
              templates[name] = template;
              pending -= 1;
              if (pending === 0) {
                cancel(timeout);
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
      return templates[name].render($.extend({ lang: langTree() }, data || {}));
    }

    // ------------------------------------------------------------------ the rule form

    var FORM_TEMPLATES = ['rule_form'];

    function sensitivityLabel(kind) {
      if (kind === 'personal') {
        return t('tree.sensitivity.personal');
      }
      if (kind === 'financial') {
        return t('tree.sensitivity.financial');
      }
      if (kind === 'trace') {
        return t('tree.sensitivity.trace');
      }
      return '';
    }

    function standardName(field) {
      var own = userLang() === 'en' ? field.name_en : field.name_ru;
      return own || field.name_ru || field.name_en || field.key;
    }

    function pipelineById(meta, id) {
      var found = null;
      $.each(meta.pipelines || [], function (_, pipeline) {
        if (pipeline.id === id) {
          found = pipeline;
          return false;
        }
        return true;
      });
      return found;
    }

    function mainPipeline(meta) {
      var pipelines = meta.pipelines || [];
      var main = $.grep(pipelines, function (p) {
        return p.is_main;
      })[0];
      return main || pipelines[0] || null;
    }

    /**
     * The choices of a copy rule (manual 6.1–6.9), drawn from the account's metadata.
     * Keys of a loaded rule the form does not edit (add_tags, timezone, ...) are kept as they are.
     *
     * options: mode (card|bulk|dp|preset), order of the selects, checks (which checkboxes),
     * presets (show the picker), allowActor («я»), allowAnonymise («Анонимная копия»),
     * initial (a rule to show), defaults ({pipeline_id, status_id}) when there is none.
     */
    function ruleForm($host, meta, options) {
      var opts = $.extend(
        {
          mode: 'card',
          order: ['pipeline', 'stage', 'responsible'],
          checks: ['products', 'contacts', 'company'],
          presets: false,
          allowActor: true,
          allowAnonymise: false,
          heading: false,
          collapseTree: false,
          initial: null,
          defaults: {}
        },
        options || {}
      );
      var uid = nextUid(opts.mode);
      var listeners = [];
      var base = {};
      var catalogs = meta.catalogs || [];
      var products = $.grep(catalogs, function (c) {
        return c.type === 'products';
      })[0];
      var standard = $.grep((meta.lead_fields && meta.lead_fields.standard) || [], function (f) {
        // contacts and company have their own checkboxes above the tree
        return f.rule !== 'copy_contacts' && f.rule !== 'copy_company';
      });
      var custom = (meta.lead_fields && meta.lead_fields.custom) || [];

      $host.html(
        html('rule_form', {
          uid: uid,
          mode: opts.mode,
          heading: opts.heading,
          collapse_tree: opts.collapseTree,
          order: opts.order,
          checks: $.grep(opts.checks, function (check) {
            return check !== 'products' || !!products;
          }),
          presets: opts.presets ? meta.presets || [] : [],
          pipelines: meta.pipelines || [],
          users: meta.users || [],
          allow_actor: opts.allowActor,
          allow_anonymise: opts.allowAnonymise,
          standard: $.map(standard, function (f) {
            return { rule: f.rule, key: f.key, name: standardName(f) };
          }),
          custom: $.map(custom, function (f) {
            return {
              id: f.id,
              name: f.name,
              type: f.type,
              copyable: f.copyable !== false,
              sensitivity: f.sensitivity || '',
              sensitivity_label: sensitivityLabel(f.sensitivity)
            };
          }),
          catalogs: $.map(catalogs, function (c) {
            return {
              id: c.id,
              type: c.type,
              label: t('tree.catalog', { name: c.name }),
              products: !!products && c.id === products.id
            };
          })
        })
      );

      var $form = $host.children().first();
      var $pipeline = $form.find('[data-control="pipeline"]');
      var $stage = $form.find('[data-control="stage"]');
      var $responsible = $form.find('[data-control="responsible"]');
      var $preset = $form.find('[data-control="preset"]');
      var $products = $form.find('[data-control="products"]');
      var $contacts = $form.find('[data-control="contacts"]');
      var $company = $form.find('[data-control="company"]');
      var $anonymise = $form.find('[data-control="anonymise"]');

      function fire() {
        $.each(listeners, function (_, listener) {
          listener();
        });
      }

      function fillStages(pipelineId, statusId) {
        var pipeline = pipelineById(meta, pipelineId);
        $stage.empty();
        $.each((pipeline && pipeline.statuses) || [], function (_, status) {
          $stage.append($('<option>').val(String(status.id)).text(status.name));
        });
        if (statusId && $stage.find('option[value="' + statusId + '"]').length) {
          $stage.val(String(statusId));
        } else {
          $stage.prop('selectedIndex', 0);
        }
      }

      function selectResponsible(responsible) {
        var mode = (responsible && responsible.mode) || 'source';
        if (mode === 'fixed') {
          var id = String(responsible.user_id);
          if (!$responsible.find('option[value="' + id + '"]').length) {
            // a deactivated or unknown user: keep it visible so the rule is not changed silently
            $responsible.append($('<option>').val(id).text(t('form.unknown_user', { id: id })));
          }
          $responsible.val(id);
        } else if (mode === 'actor' && !opts.allowActor) {
          $responsible.val('source');
        } else {
          $responsible.val(mode);
        }
      }

      function isAnonymous() {
        return opts.allowAnonymise ? $anonymise.prop('checked') : !!base.anonymise;
      }

      function productsBox() {
        return products ? $form.find('[data-catalog-box="' + products.id + '"]') : $();
      }

      function updateTree() {
        var anonymous = isAnonymous();
        $form.toggleClass('dealcopy-form_anonymous', anonymous);
        $form.find('[data-anon-drop]').each(function () {
          var $input = $(this);
          var locked = anonymous || $input.data('locked') === true;
          $input.prop('disabled', locked);
          $input.closest('.dealcopy-check').toggleClass('dealcopy-check_dropped', anonymous);
        });
        $form.find('[data-field]').each(function () {
          var $label = $(this).closest('.dealcopy-check');
          $label.toggleClass('dealcopy-check_dropped', anonymous && !!$label.attr('data-sensitivity'));
        });
        var $fields = $form.find('[data-field]:not(:disabled)');
        var $lead = $form.find('[data-node="lead"]');
        var $std = $form.find('[data-std]:not(:disabled)');
        var checked = $fields.filter(':checked').length + $std.filter(':checked').length;
        $lead.find('[data-count]').text(t('tree.count', { n: checked, total: $fields.length + $std.length }));
        $form.find('[data-node="catalog"]').each(function () {
          var $node = $(this);
          var $box = $node.find('[data-catalog-box]');
          var on = $box.prop('checked') && !$box.prop('disabled');
          $node.find('[data-count]').text(on ? t('tree.on') : t('tree.off'));
          $node.toggleClass('dealcopy-tree__node_off', !on);
        });
      }

      function setRule(rule) {
        base = $.extend(true, {}, rule || {});
        var pipeline = pipelineById(meta, base.pipeline_id) || mainPipeline(meta);
        $pipeline.val(pipeline ? String(pipeline.id) : '');
        fillStages(pipeline && pipeline.id, base.status_id);
        selectResponsible(base.responsible);
        $contacts.prop('checked', base.copy_contacts !== false);
        $company.prop('checked', base.copy_company !== false);
        $anonymise.prop('checked', !!base.anonymise);
        $form.find('[data-std]').each(function () {
          var key = $(this).attr('data-std');
          $(this).prop('checked', key === 'name_template' ? !base.name_template : base[key] !== false);
        });
        var fields = base.fields === undefined ? 'all' : base.fields;
        $form.find('[data-field]').each(function () {
          var $box = $(this);
          if ($box.prop('disabled') && $box.data('copyable') === false) {
            $box.prop('checked', false);
            return;
          }
          var id = Number($box.attr('data-field'));
          $box.prop('checked', fields === 'all' || $.inArray(id, fields || []) >= 0);
        });
        var chosen = base.catalogs === undefined ? 'all' : base.catalogs;
        $form.find('[data-catalog-box]').each(function () {
          var id = Number($(this).attr('data-catalog-box'));
          $(this).prop('checked', chosen === 'all' || $.inArray(id, chosen || []) >= 0);
        });
        $products.prop('checked', productsBox().prop('checked'));
        clearErrors();
        updateTree();
      }

      function rule() {
        var out = $.extend(true, {}, base);
        var anonymous = isAnonymous();
        out.pipeline_id = Number($pipeline.val());
        out.status_id = Number($stage.val());
        var who = $responsible.val();
        out.responsible = who === 'source' || who === 'actor' ? { mode: who } : { mode: 'fixed', user_id: Number(who) };
        out.anonymise = anonymous;
        out.copy_contacts = !anonymous && $contacts.prop('checked');
        out.copy_company = !anonymous && $company.prop('checked');
        $form.find('[data-std]').each(function () {
          var key = $(this).attr('data-std');
          var on = $(this).prop('checked');
          if (key === 'name_template') {
            out.name_template = on ? null : base.name_template || t('form.name_template_default');
          } else {
            out[key] = !anonymous && on;
          }
        });
        var $copyable = $form.find('[data-field]').filter(function () {
          return $(this).data('copyable') !== false;
        });
        var fieldIds = $.map($copyable.filter(':checked'), function (box) {
          return Number($(box).attr('data-field'));
        });
        out.fields = fieldIds.length === $copyable.length ? 'all' : fieldIds;
        var $boxes = $form.find('[data-catalog-box]');
        var catalogIds = $.map($boxes.filter(':checked'), function (box) {
          return Number($(box).attr('data-catalog-box'));
        });
        if (anonymous) {
          // an anonymised copy carries products only (legal entities and invoices identify the client)
          out.catalogs = $.grep(catalogIds, function (id) {
            return products && id === products.id;
          });
        } else {
          out.catalogs = catalogIds.length === $boxes.length ? 'all' : catalogIds;
        }
        return out;
      }

      function clearErrors() {
        $form.find('.dealcopy-field_error').removeClass('dealcopy-field_error');
        $form.find('.dealcopy-check_error').removeClass('dealcopy-check_error');
        $form.find('[data-error]').remove();
      }

      function placeError($place, message) {
        $place.addClass('dealcopy-field_error');
        $('<div class="dealcopy-field__error" data-error></div>').text(message).appendTo($place);
      }

      /** Shows rule errors next to their controls; returns the messages that have no place. */
      function showErrors(errors) {
        clearErrors();
        var current = rule();
        var unplaced = [];
        $.each(errors || [], function (_, error) {
          var path = String(error.path || '');
          var message = messageOf(error);
          var root = path.split(/[.[]/)[0];
          var $place = $();
          if (root === 'pipeline_id') {
            $place = $form.find('[data-role="pipeline_id"]');
          } else if (root === 'status_id') {
            $place = $form.find('[data-role="status_id"]');
          } else if (root === 'responsible') {
            $place = $form.find('[data-role="responsible"]');
          } else if (
            root === 'fields' ||
            root === 'name_template' ||
            root === 'anonymise_extra_field_ids' ||
            root === 'source_link_field_id'
          ) {
            $place = $form.find('[data-node="lead"]');
            var index = /^fields\[(\d+)\]/.exec(path);
            if (index && $.isArray(current.fields)) {
              $form
                .find('[data-field="' + current.fields[Number(index[1])] + '"]')
                .closest('.dealcopy-check')
                .addClass('dealcopy-check_error');
            }
          } else if (root === 'catalogs') {
            $place = $form.find('[data-role="tree"]');
          }
          if ($place.length) {
            if ($place.closest('[data-more-body]').length) {
              openMore(true);
            }
            placeError($place.first(), message);
          } else {
            unplaced.push(path ? path + ': ' + message : message);
          }
        });
        return unplaced;
      }

      // --- events
      $pipeline.on('change', function () {
        fillStages(Number($pipeline.val()));
        fire();
      });
      $stage.add($responsible).on('change', fire);
      $contacts.add($company).on('change', function () {
        updateTree();
        fire();
      });
      $anonymise.on('change', function () {
        updateTree();
        fire();
      });
      $products.on('change', function () {
        productsBox().prop('checked', $products.prop('checked'));
        updateTree();
        fire();
      });
      $preset.on('change', function () {
        var id = $preset.val();
        var preset = $.grep(meta.presets || [], function (p) {
          return p.preset_id === id;
        })[0];
        if (preset) {
          setRule(preset.rule);
          $preset.val(id);
          fire();
        }
      });
      $form.on('change', '[data-field], [data-std], [data-catalog-box]', function () {
        if (products && Number($(this).attr('data-catalog-box')) === products.id) {
          $products.prop('checked', $(this).prop('checked'));
        }
        updateTree();
        fire();
      });
      function openMore(open) {
        $form.find('[data-more]').attr('aria-expanded', open ? 'true' : 'false').toggleClass('dealcopy-more_open', open);
        $form.find('[data-more-body]').prop('hidden', !open);
      }
      $form.on('click', '[data-more]', function () {
        openMore($(this).attr('aria-expanded') !== 'true');
      });
      $form.on('click', '[data-toggle]', function () {
        var $node = $(this).closest('.dealcopy-tree__node');
        var open = !$node.hasClass('dealcopy-tree__node_open');
        $node.toggleClass('dealcopy-tree__node_open', open);
        $node.children('[data-body]').prop('hidden', !open);
        $(this).attr('aria-expanded', open ? 'true' : 'false');
      });
      $form.on('click', '[data-bulk]', function () {
        var on = $(this).attr('data-bulk') === 'on';
        var $node = $(this).closest('.dealcopy-tree__node');
        $node.find('[data-field], [data-std], [data-catalog-box]').each(function () {
          if (!$(this).prop('disabled')) {
            $(this).prop('checked', on);
          }
        });
        if (products && $node.attr('data-catalog') === String(products.id)) {
          $products.prop('checked', on);
        }
        updateTree();
        fire();
      });

      // Non-copyable fields stay visible but can never be chosen.
      $form.find('[data-field]').each(function () {
        var copyable = $(this).attr('data-copyable') !== 'false';
        $(this).data('copyable', copyable);
        if (!copyable) {
          $(this).prop('disabled', true).data('locked', true);
        }
      });

      if (opts.initial) {
        setRule(opts.initial);
      } else {
        var defaults = opts.defaults || {};
        var start = pipelineById(meta, defaults.pipeline_id) || mainPipeline(meta);
        setRule({ pipeline_id: start && start.id, status_id: defaults.status_id });
        base = {};
      }

      return {
        $el: $form,
        rule: rule,
        setRule: setRule,
        showErrors: showErrors,
        clearErrors: clearErrors,
        onChange: function (listener) {
          listeners.push(listener);
        }
      };
    }

    // ------------------------------------------------------------------ shared bits of the panels

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

    function setBusy($button, busy, busyText) {
      var $text = $button.find('.dealcopy-button__text');
      if (busy) {
        $button.data('idle-text', $text.text());
        $text.text(busyText);
      } else if ($button.data('idle-text')) {
        $text.text($button.data('idle-text'));
      }
      $button.prop('disabled', busy).toggleClass('dealcopy-button_busy', busy).attr('aria-busy', busy ? 'true' : 'false');
    }

    function showProblem($slot, problem, form) {
      var unplaced = form && problem.errors.length ? form.showErrors(problem.errors) : problem.errors.map(messageOf);
      // every rule error sits next to its control: say so instead of repeating them with their paths
      var detail = problem.errors.length && !unplaced.length ? t('errors.fix_marked') : problem.detail;
      $slot.empty().prop('hidden', false);
      $('<div class="dealcopy-alert__text"></div>').text(detail).appendTo($slot);
      if (unplaced.length) {
        var $list = $('<ul class="dealcopy-alert__list"></ul>').appendTo($slot);
        $.each(unplaced, function (_, message) {
          $('<li></li>').text(message).appendTo($list);
        });
      }
    }

    function hideProblem($slot) {
      $slot.empty().prop('hidden', true);
    }

    function loadingInto($root) {
      $root.html('<div class="dealcopy-loading"><span class="dealcopy-spinner"></span></div>');
      $root.find('.dealcopy-loading').append(document.createTextNode(' ' + t('panel.loading')));
    }

    function failedInto($root, problem, retry) {
      $root.empty();
      var $box = $('<div class="dealcopy-alert dealcopy-alert_error" role="alert"></div>').appendTo($root);
      $('<div class="dealcopy-alert__text"></div>').text(problem.detail).appendTo($box);
      if (retry) {
        $('<button type="button" class="dealcopy-link"></button>')
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
      var rootId = nextUid(prefix);
      self.render_template({
        caption: { class_name: 'dealcopy-caption' },
        body: '',
        render: '<div class="dealcopy dealcopy-root" id="' + rootId + '"></div>'
      });
      var $root = $('#' + rootId);
      loadingInto($root);
      $.when(loadTemplates(FORM_TEMPLATES.concat(templates)), loadMeta()).then(
        function (_, meta) {
          build($root, meta);
        },
        function (problem) {
          failedInto($root, problem, function () {
            $root.remove();
            renderPanel(prefix, templates, build);
          });
        }
      );
    }

    /** The copy button of a panel: editing the rule clears the last problem; a disabled button ignores clicks. */
    function onCopy(form, $button, $error, copy) {
      form.onChange(function () {
        form.clearErrors();
        hideProblem($error);
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
            last = { json: json, key: newKey(prefix), done: false };
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

    // ------------------------------------------------------------------ lead card (lcard)

    function currentLeadId() {
      var amo = host();
      var id = typeof amo.constant === 'function' ? amo.constant('card_id') : null;
      if (!id && amo.data && amo.data.current_card) {
        id = amo.data.current_card.id;
      }
      return parseInt(id, 10) || 0;
    }

    /** Pipeline and stage of the open lead (the card model's attributes), to preselect them. */
    function currentLeadStage() {
      var card = host().data && host().data.current_card;
      var model = card && card.model;
      function get(key) {
        if (!model) {
          return null;
        }
        return typeof model.get === 'function' ? model.get(key) : model.attributes && model.attributes[key];
      }
      return {
        pipeline_id: parseInt(get('lead[PIPELINE_ID]'), 10) || 0,
        status_id: parseInt(get('lead[STATUS]'), 10) || 0
      };
    }

    function renderCardPanel() {
      renderPanel('card', ['panel', 'result'], buildCardPanel);
    }

    function buildCardPanel($root, meta) {
      var leadId = currentLeadId();
      $root.html(html('panel'));
      var form = ruleForm($root.find('[data-slot="form"]'), meta, {
        mode: 'card',
        presets: true,
        collapseTree: true,
        defaults: currentLeadStage()
      });
      var $button = $root.find('[data-action="copy"]');
      var $error = $root.find('[data-slot="error"]');
      var $result = $root.find('[data-slot="result"]');
      var keys = keyKeeper('card');
      licenceLine($root.find('[data-slot="licence"]'), meta.licence);

      onCopy(form, $button, $error, function () {
        if (!leadId) {
          showProblem($error, { detail: t('panel.no_lead'), errors: [] });
          return;
        }
        var body = { lead_id: leadId, rule: form.rule() };
        var request = $.extend({ idempotency_key: keys.keyFor(body) }, body);
        form.clearErrors();
        hideProblem($error);
        $result.prop('hidden', true).empty();
        setBusy($button, true, t('panel.copying'));
        api('POST', '/copies', request)
          .done(function (copy) {
            keys.succeeded();
            $result.html(html('result', resultView(copy))).prop('hidden', false);
          })
          .fail(function (problem) {
            showProblem($error, problem, form);
          })
          .always(function () {
            setBusy($button, false);
          });
      });
    }

    function skippedWhat(what) {
      var names = {
        field: t('result.what.field'),
        contacts: t('result.what.contacts'),
        company: t('result.what.company'),
        budget: t('result.what.budget'),
        tags: t('result.what.tags'),
        catalog_element: t('result.what.catalog_element'),
        catalog: t('result.what.catalog'),
        links: t('result.what.links'),
        notes: t('result.what.notes')
      };
      return names[what] || what;
    }

    function resultView(copy) {
      var skipped = $.map(copy.skipped || [], function (skip) {
        return {
          what: skip.name ? skippedWhat(skip.what) + ' «' + skip.name + '»' : skippedWhat(skip.what),
          reason: messageOf(skip)
        };
      });
      return {
        lead_id: copy.lead_id,
        url: copy.url,
        title: t('result.created', { id: copy.lead_id }),
        skipped: skipped,
        skipped_title: t('result.skipped', { n: skipped.length })
      };
    }

    // ------------------------------------------------------------------ lead list (llist)

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
      renderPanel('bulk', ['bulk', 'bulk_rows'], buildBulkPanel);
    }

    function buildBulkPanel($root, meta) {
      var ids = selectedLeadIds();
      $root.html(html('bulk'));
      var form = ruleForm($root.find('[data-slot="form"]'), meta, { mode: 'bulk', presets: true, collapseTree: true });
      var $button = $root.find('[data-action="copy"]');
      var $error = $root.find('[data-slot="error"]');
      var $progress = $root.find('[data-slot="progress"]');
      var $results = $root.find('[data-slot="results"]');
      var keys = keyKeeper('bulk');
      var poll = null;
      licenceLine($root.find('[data-slot="licence"]'), meta.licence);
      $root.find('[data-slot="selected"]').text(t('bulk.selected', { n: ids.length }));
      $button.find('.dealcopy-button__text').text(t('bulk.copy', { n: ids.length }));
      if (!ids.length || ids.length > MAX_BULK) {
        $button.prop('disabled', true);
        showProblem($error, { detail: ids.length ? t('bulk.too_many', { max: MAX_BULK }) : t('bulk.none'), errors: [] });
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
              poll = later(function () {
                follow(batchId, 0);
              }, POLL_MS);
            } else {
              $progress.addClass('dealcopy-progress_done');
              setBusy($button, false);
            }
          })
          .fail(function (problem) {
            if (misses < 3 && (problem.status === 0 || problem.status >= 500)) {
              poll = later(function () {
                follow(batchId, misses + 1);
              }, POLL_MS * 2);
              return;
            }
            showProblem($error, problem);
            setBusy($button, false);
          });
      }

      onCopy(form, $button, $error, function () {
        if (poll) {
          cancel(poll);
        }
        var body = { lead_ids: ids, rule: form.rule() };
        var request = $.extend({ idempotency_key: keys.keyFor(body) }, body);
        form.clearErrors();
        hideProblem($error);
        $progress.removeClass('dealcopy-progress_done');
        showState({ total: ids.length, done: 0, failed: 0, results: [] });
        setBusy($button, true, t('bulk.copying'));
        api('POST', '/copies/bulk', request)
          .done(function (batch) {
            keys.succeeded();
            follow(batch.batch_id, 0);
          })
          .fail(function (problem) {
            $progress.prop('hidden', true);
            $results.empty();
            showProblem($error, problem, form);
            setBusy($button, false);
          });
      });
    }

    // ------------------------------------------------------------------ Digital Pipeline (dpSettings)

    function dpInput($scope, code) {
      var $input = $scope.find('[name="' + code + '"]');
      if (!$input.length) {
        $input = $scope.find('[name$="[' + code + ']"]');
      }
      return $input.first();
    }

    /** The open DP action dialog of this widget: the form holding our declared inputs. */
    function dpDialog() {
      // Other widgets' actions may use an input named `rule` too: start from our own marker.
      var code = settings().widget_code || (self.params && self.params.widget_code);
      var $marker = code ? $('.digital-pipeline__short-task_widget-style_' + code).last() : $();
      var $own = $marker.parents().filter(function () {
        return dpInput($(this), 'rule').length > 0;
      });
      if ($own.length) {
        return $own.first();
      }
      var $rule = $('[name="rule"], [name$="[rule]"]').filter(function () {
        return $(this).closest('[data-action="send_widget_hook"], .digital-pipeline__edit-forms, form').length > 0;
      });
      var $dialog = $rule.last().closest('[data-action="send_widget_hook"]');
      if (!$dialog.length) {
        $dialog = $rule.last().closest('.digital-pipeline__edit-forms, form');
      }
      return $dialog;
    }

    function renderDpSettings() {
      var $dialog = dpDialog();
      var $rule = dpInput($dialog, 'rule');
      var $signature = dpInput($dialog, 'signature');
      if (!$rule.length || !$signature.length) {
        return;
      }
      $dialog.find('.dealcopy-dp').remove();
      // amoCRM draws and saves the declared inputs; we hide them and keep them filled.
      $rule.add($signature).each(function () {
        var $row = $(this).closest('.widget_settings_block__item_field, .task-edit__body__form-row, .dealcopy-dp-field');
        ($row.length ? $row : $(this)).addClass('dealcopy-hidden').attr('aria-hidden', 'true');
      });
      var $root = $('<div class="dealcopy dealcopy-root dealcopy-dp"></div>');
      var $form = $rule.closest('.task-edit__body__form, form');
      if ($form.length && $dialog.has($form).length) {
        $form.after($root);
      } else {
        $rule.after($root);
      }
      loadingInto($root);
      var saved = null;
      try {
        saved = $rule.val() ? JSON.parse($rule.val()) : null;
      } catch (ignored) {
        saved = null;
      }
      $.when(loadTemplates(FORM_TEMPLATES.concat(['dp'])), loadMeta()).then(
        function (_, meta) {
          buildDpSettings($root, meta, saved, $rule, $signature);
        },
        function (problem) {
          failedInto($root, problem, function () {
            $root.remove();
            renderDpSettings();
          });
        }
      );
    }

    function buildDpSettings($root, meta, saved, $rule, $signature) {
      $root.html(html('dp'));
      var form = ruleForm($root.find('[data-slot="form"]'), meta, {
        mode: 'dp',
        heading: true,
        order: ['responsible', 'pipeline', 'stage'],
        checks: ['company', 'contacts', 'products'],
        presets: true,
        allowActor: false, // a trigger has no user who copies
        allowAnonymise: true,
        initial: saved
      });
      var $status = $root.find('[data-slot="status"]');
      var $error = $root.find('[data-slot="error"]');
      var sequence = 0;
      var pending = null;

      function status(kind, text) {
        $status
          .removeClass('dealcopy-dp__status_ok dealcopy-dp__status_busy dealcopy-dp__status_error')
          .addClass('dealcopy-dp__status_' + kind)
          .text(text);
        $root.attr('data-sign-state', kind);
      }

      function write($input, value) {
        $input.val(value).trigger('input').trigger('change');
      }

      function sign() {
        pending = null;
        sequence += 1;
        var mine = sequence;
        var rule = form.rule();
        // The unsigned choice is kept at once, the signature only once the backend accepted it:
        // amoCRM then saves either a valid pair or no signature (the hook is refused, not misrun).
        write($rule, JSON.stringify(rule));
        write($signature, '');
        status('busy', t('dp.signing'));
        hideProblem($error);
        form.clearErrors();
        api('POST', '/widget/dp/sign', { rule: rule })
          .done(function (signed) {
            if (mine !== sequence) {
              return;
            }
            write($rule, signed.rule);
            write($signature, signed.signature);
            status('ok', t('dp.signed'));
          })
          .fail(function (problem) {
            if (mine !== sequence) {
              return;
            }
            status('error', t('dp.not_signed'));
            showProblem($error, problem, form);
          });
      }

      form.onChange(function () {
        if (pending) {
          cancel(pending);
        }
        status('busy', t('dp.signing'));
        pending = later(sign, SIGN_DELAY_MS);
      });
      // A new action (or one saved by an older version) is signed right away, so saving the
      // dialog without touching anything still stores a valid pair.
      if (!saved || !$signature.val()) {
        sign();
      } else {
        status('ok', t('dp.signed'));
      }
    }

    // ------------------------------------------------------------------ settings page

    function settingsBlock($modal) {
      var $block = $();
      if ($modal && $modal.jquery) {
        $block = $modal.find('.widget_settings_block');
        if (!$block.length && $modal.hasClass('widget_settings_block')) {
          $block = $modal;
        }
      }
      if (!$block.length) {
        var code = settings().widget_code || (self.params && self.params.widget_code);
        $block = $('.modal.' + code + ' .widget_settings_block, .widget-settings.' + code + ' .widget_settings_block');
      }
      if (!$block.length) {
        $block = $('.widget_settings_block');
      }
      return $block.last();
    }

    function renderSettingsPage($modal) {
      var $block = settingsBlock($modal);
      if (!$block.length) {
        return;
      }
      $block.find('.dealcopy-settings-root').remove();
      var $root = $('<div class="dealcopy dealcopy-root dealcopy-settings-root"></div>');
      var $controls = $block.children('.widget_settings_block__controls');
      if ($controls.length) {
        $root.insertBefore($controls.first());
      } else {
        $root.appendTo($block);
      }
      loadingInto($root);
      var status = (self.params && self.params.status) || settings().status;
      if (status && status !== 'installed') {
        $root.empty();
        $('<div class="dealcopy-alert"></div>').text(t('page.install_first')).appendTo($root);
        return;
      }
      $.when(
        loadTemplates(FORM_TEMPLATES.concat(['settings', 'presets', 'preset_editor', 'activity'])),
        loadMeta(true)
      ).then(
        function (_, meta) {
          buildSettingsPage($root, meta);
        },
        function (problem) {
          failedInto($root, problem, function () {
            renderSettingsPage($modal);
          });
        }
      );
    }

    function licenceView(licence) {
      if (!licence) {
        return { text: '', state: 'unknown' };
      }
      if (!licence.active) {
        return { text: t('page.licence_expired', { date: licence.valid_until }), state: 'expired' };
      }
      var days = daysText(licence.days_left);
      if (licence.kind === 'trial') {
        return { text: t('page.licence_trial', { days: days, date: licence.valid_until }), state: 'trial' };
      }
      return { text: t('page.licence_paid', { days: days, date: licence.valid_until }), state: 'paid' };
    }

    function triggerLabel(trigger) {
      var labels = { manual: t('page.trigger.manual'), dp: t('page.trigger.dp'), bulk: t('page.trigger.bulk') };
      return labels[trigger] || trigger || '';
    }

    function ruleSummary(meta, rule) {
      var pipeline = pipelineById(meta, rule && rule.pipeline_id);
      if (!pipeline) {
        return t('page.preset_broken');
      }
      var status = $.grep(pipeline.statuses || [], function (s) {
        return s.id === rule.status_id;
      })[0];
      var text = pipeline.name + ' → ' + (status ? status.name : '#' + rule.status_id);
      return rule.anonymise ? text + ' · ' + t('form.anonymise') : text;
    }

    function presetId() {
      return 'p' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    }

    function buildSettingsPage($root, meta) {
      var licence = licenceView(meta.licence);
      $root.html(html('settings', { licence: licence }));
      var $presets = $root.find('[data-slot="presets"]');
      var $editor = $root.find('[data-slot="editor"]');
      var $error = $root.find('[data-slot="presets-error"]');
      var $activity = $root.find('[data-slot="activity"]');

      function drawPresets() {
        $presets.html(
          html('presets', {
            presets: $.map(meta.presets || [], function (preset) {
              return { id: preset.preset_id, name: preset.name, summary: ruleSummary(meta, preset.rule) };
            })
          })
        );
      }

      function reload() {
        return loadMeta(true).done(function (fresh) {
          meta = fresh;
          drawPresets();
        });
      }

      function closeEditor() {
        $editor.empty().prop('hidden', true);
        $root.find('[data-action="preset-new"]').prop('disabled', false);
      }

      function openEditor(preset) {
        $editor.html(html('preset_editor', { name: preset ? preset.name : '', editing: !!preset })).prop('hidden', false);
        $root.find('[data-action="preset-new"]').prop('disabled', true);
        var form = ruleForm($editor.find('[data-slot="form"]'), meta, {
          mode: 'preset',
          allowActor: true,
          allowAnonymise: true,
          initial: preset ? preset.rule : null
        });
        var $name = $editor.find('[data-control="preset-name"]');
        var $save = $editor.find('[data-action="preset-save"]');
        var $editorError = $editor.find('[data-slot="editor-error"]');
        $name.trigger('focus');
        $editor.find('[data-action="preset-cancel"]').on('click', closeEditor);
        $save.on('click', function () {
          var name = $.trim($name.val());
          if (!name) {
            showProblem($editorError, { detail: t('page.preset_name_required'), errors: [] });
            $name.trigger('focus');
            return;
          }
          var id = preset ? preset.preset_id : presetId();
          hideProblem($editorError);
          setBusy($save, true, t('page.saving'));
          api('PUT', '/widget/presets/' + encodeURIComponent(id), { name: name, rule: form.rule() })
            .done(function () {
              closeEditor();
              reload();
            })
            .fail(function (problem) {
              showProblem($editorError, problem, form);
            })
            .always(function () {
              setBusy($save, false);
            });
        });
      }

      function presetOf($el) {
        var id = $el.closest('[data-preset]').attr('data-preset');
        return $.grep(meta.presets || [], function (p) {
          return p.preset_id === id;
        })[0];
      }

      $root.on('click', '[data-action="preset-new"]', function () {
        openEditor(null);
      });
      $root.on('click', '[data-action="preset-edit"]', function () {
        var preset = presetOf($(this));
        if (preset) {
          openEditor(preset);
        }
      });
      $root.on('click', '[data-action="preset-rename"]', function () {
        var $row = $(this).closest('[data-preset]');
        var preset = presetOf($row);
        if (!preset) {
          return;
        }
        $row.addClass('dealcopy-preset_renaming');
        $row.find('[data-control="rename"]').val(preset.name).prop('hidden', false).trigger('focus');
        $row.find('[data-rename-actions]').prop('hidden', false);
        $row.find('[data-view]').prop('hidden', true);
      });
      $root.on('click', '[data-action="rename-cancel"]', function () {
        drawPresets();
      });
      $root.on('click', '[data-action="rename-save"]', function () {
        var $row = $(this).closest('[data-preset]');
        var preset = presetOf($row);
        var name = $.trim($row.find('[data-control="rename"]').val());
        if (!preset || !name) {
          return;
        }
        hideProblem($error);
        setBusy($(this), true, t('page.saving'));
        api('PUT', '/widget/presets/' + encodeURIComponent(preset.preset_id), { name: name, rule: preset.rule })
          .done(reload)
          .fail(function (problem) {
            showProblem($error, problem);
            drawPresets();
          });
      });
      $root.on('click', '[data-action="preset-delete"]', function () {
        var $button = $(this);
        var preset = presetOf($button);
        if (!preset) {
          return;
        }
        if (!$button.hasClass('dealcopy-link_confirm')) {
          // a second click confirms: no blocking browser dialogs inside amoCRM
          $button.addClass('dealcopy-link_confirm').text(t('page.delete_confirm'));
          return;
        }
        hideProblem($error);
        api('DELETE', '/widget/presets/' + encodeURIComponent(preset.preset_id))
          .done(reload)
          .fail(function (problem) {
            showProblem($error, problem);
            drawPresets();
          });
      });

      drawPresets();

      api('GET', '/widget/activity')
        .done(function (activity) {
          $activity.html(
            html('activity', {
              copies: $.map((activity && activity.copies) || [], function (copy) {
                return {
                  at: formatAt(copy.at),
                  source_id: copy.source_id,
                  source_url: leadUrl(meta, copy.source_id),
                  lead_id: copy.lead_id,
                  url: copy.url || leadUrl(meta, copy.lead_id),
                  trigger: triggerLabel(copy.trigger)
                };
              }),
              failures: $.map((activity && activity.failures) || [], function (failure) {
                return {
                  at: formatAt(failure.at),
                  source_id: failure.source_id,
                  source_url: leadUrl(meta, failure.source_id),
                  message: messageOf(failure) || failure.code,
                  trigger: triggerLabel(failure.trigger)
                };
              })
            })
          );
        })
        .fail(function (problem) {
          $activity.empty();
          $('<div class="dealcopy-alert dealcopy-alert_error"></div>')
            .text(t('page.activity_failed') + ' ' + problem.detail)
            .appendTo($activity);
        });
    }

    // ------------------------------------------------------------------ amoCRM callbacks

    this.callbacks = {
      render: function () {
        ensureStyle();
        if (area() === 'lcard') {
          renderCardPanel();
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
        ensureStyle();
        renderSettingsPage($modal);
        return true;
      },
      onSave: function () {
        // amoCRM stores `backend_url`; a new address means new metadata.
        metaRequest = null;
        return true;
      },
      destroy: function () {
        $.each(timers.slice(), function (_, id) {
          clearTimeout(id);
        });
        timers = [];
        metaRequest = null;
      },
      dpSettings: function () {
        ensureStyle();
        renderDpSettings();
        return true;
      },
      advancedSettings: function () {
        return true;
      },
      leads: {
        selected: function () {
          ensureStyle();
          renderBulkPanel();
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
