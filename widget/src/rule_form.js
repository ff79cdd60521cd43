/*
 * The copy-rule form every screen shares (manual 6.1–6.9): pipeline, stage, responsible, the
 * checkboxes, «Анонимная копия» and the tree of fields and catalog lists, drawn from the
 * account's metadata. It edits a rule object and places rule errors next to their controls.
 */
define('dealcopy/rule_form', ['jquery', 'dealcopy/meta', 'dealcopy/form_tree'], function ($, accountMeta, formTree) {
  'use strict';

  /** Screens load these with their own templates before they draw a form. */
  var FORM_TEMPLATES = ['rule_form'];
  /** A rule without `timezone` renders {date} in this zone (copying/naming.py DEFAULT_TIMEZONE). */
  var ACCOUNT_ZONE_DEFAULT = 'Europe/Moscow';

  function create(ctx) {
    var t = ctx.i18n.t;
    var html = ctx.templates.html;
    var messageOf = ctx.i18n.messageOf;
    var userLang = ctx.i18n.userLang;
    var pipelineById = accountMeta.pipelineById;
    var mainPipeline = accountMeta.mainPipeline;
    var isClosed = accountMeta.isClosedStatus;
    var firstOpenStatus = accountMeta.firstOpenStatus;
    var tree = formTree.create(ctx);

    /** The backend's per-field words (`<key>_ru` / `<key>_en`) in the user's language. */
    function reasonText(field, key) {
      var own = userLang() === 'en' ? field[key + '_en'] : field[key + '_ru'];
      return own || field[key + '_ru'] || field[key + '_en'] || '';
    }

    function standardName(field) {
      var own = userLang() === 'en' ? field.name_en : field.name_ru;
      return own || field.name_ru || field.name_en || field.key;
    }

    /**
     * The choices of a copy rule (manual 6.1–6.9), drawn from the account's metadata.
     * Keys of a loaded rule the form does not edit (add_tags, timezone, ...) are kept as they are.
     *
     * options: mode (card|bulk|dp|preset), order of the selects, checks (which checkboxes),
     * presets (show the picker), allowActor («я»), allowAnonymise («Анонимная копия»),
     * initial (a rule to show), defaults ({pipeline_id, status_id}) when there is none,
     * lead (the card's deal: {id, name, elements}) to list its own linked elements,
     * nameInput (show «Название копии», a template with {name}, {id}, {date}, {pipeline}).
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
          nameInput: false,
          lead: null,
          initial: null,
          defaults: {}
        },
        options || {}
      );
      var uid = ctx.nextUid(opts.mode);
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
      var checks = $.grep(opts.checks, function (check) {
        return check !== 'products' || !!products;
      });
      var productsShared = !!products && $.inArray('products', checks) >= 0;
      var lead = opts.lead;

      function elementsOf(catalog) {
        if (!lead) {
          return [];
        }
        return $.grep(lead.elements || [], function (e) {
          return e.catalog_id === catalog.id;
        });
      }

      $host.html(
        html('rule_form', {
          uid: uid,
          mode: opts.mode,
          heading: opts.heading,
          collapse_tree: opts.collapseTree,
          order: opts.order,
          checks: checks,
          products_id: productsShared ? products.id : null,
          products_shared: productsShared,
          name_input: opts.nameInput,
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
              not_writable_text: f.not_writable ? reasonText(f, 'not_writable') : '',
              anon_reason: f.anonymise_reason || '',
              anon_reason_text: f.anonymise_reason ? reasonText(f, 'anonymise_reason') : ''
            };
          }),
          catalogs: $.map(catalogs, function (c) {
            return {
              id: c.id,
              type: c.type,
              label: t('tree.catalog', { name: c.name }),
              products: !!products && c.id === products.id,
              lead_known: !!lead,
              elements: elementsOf(c)
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
      var $name = $form.find('[data-control="name"]');
      var $confirm = $form.find('[data-slot="stage-confirm"]');
      var ticks = tree($form, products, $products, meta.lead_fields && meta.lead_fields.custom);
      var acceptedStage = null;

      function fire() {
        $.each(listeners, function (_, listener) {
          listener();
        });
      }

      function fillStages(pipelineId, statusId) {
        var pipeline = pipelineById(meta, pipelineId);
        $stage.empty();
        $.each((pipeline && pipeline.statuses) || [], function (_, status) {
          var label = isClosed(status) ? status.name + ' · ' + t('form.closed_mark') : status.name;
          $stage.append($('<option>').val(String(status.id)).text(label));
        });
        if (statusId && $stage.find('option[value="' + statusId + '"]').length) {
          $stage.val(String(statusId));
        } else {
          var open = firstOpenStatus(pipeline);
          $stage.val(open ? String(open.id) : $stage.find('option').first().val());
        }
        acceptedStage = $stage.val();
        $confirm.prop('hidden', true);
      }

      /** A closed stage (won/lost) makes a closed deal: the user confirms it or goes back. */
      function askClosed() {
        var pipeline = pipelineById(meta, Number($pipeline.val()));
        var status = $.grep((pipeline && pipeline.statuses) || [], function (s) {
          return String(s.id) === $stage.val();
        })[0];
        if (!status || !isClosed(status) || $stage.val() === acceptedStage) {
          $confirm.prop('hidden', true);
          acceptedStage = $stage.val();
          return;
        }
        $confirm.find('[data-text]').text(t('form.closed_confirm', { stage: status.name }));
        $confirm.prop('hidden', false);
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

      function anonymousName() {
        return t('form.name_template_default');
      }

      /** What the copy will be called, as far as the widget can tell ({date} is today in the rule's zone). */
      function namePreview() {
        if (!$name.length) {
          return;
        }
        var template = $.trim($name.val()) || '{name}';
        var pipeline = pipelineById(meta, Number($pipeline.val()));
        var now = new Date();
        var values = {
          name: lead ? lead.name : t('form.name_source'),
          id: lead ? lead.id : '…',
          pipeline: pipeline ? pipeline.name : '',
          n: '', // a repeat's occurrence number: empty for a single copy, as the backend renders it
          date: ctx.i18n.formatDate(now, base.timezone || ACCOUNT_ZONE_DEFAULT) // the backend renders {date} there
        };
        var text = template.replace(/\{(\w+)\}/g, function (whole, key) {
          return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
        });
        $form.find('[data-name-preview]').text(t('form.name_preview', { name: text }));
      }

      function updateTree() {
        var anonymous = isAnonymous();
        $form.toggleClass('dealcopy-form_anonymous', anonymous);
        ticks.hold(anonymous);
        ticks.counters();
        $form.find('[data-slot="prices-warning"]').prop('hidden', !(anonymous && ticks.productsOn()));
        namePreview();
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
        $name.val(base.name_template || (base.anonymise ? anonymousName() : '{name}'));
        ticks.set(base);
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
            out.name_template = on ? null : base.name_template || anonymousName();
          } else {
            out[key] = !anonymous && on;
          }
        });
        if ($name.length) {
          var template = $.trim($name.val());
          out.name_template = !template || template === '{name}' ? null : template;
        }
        return ticks.read(out, anonymous);
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
            root === 'exclude_fields' ||
            (root === 'name_template' && !$name.length) ||
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
          } else if (root === 'name_template') {
            $place = $form.find('[data-role="name_template"]');
          } else if (root === 'catalogs' || root === 'exclude_elements') {
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
        namePreview();
        fire();
      });
      $stage.on('change', function () {
        askClosed();
        fire();
      });
      $confirm.on('click', '[data-action="stage-yes"]', function () {
        acceptedStage = $stage.val();
        $confirm.prop('hidden', true);
        fire();
      });
      $confirm.on('click', '[data-action="stage-no"]', function () {
        $stage.val(acceptedStage);
        $confirm.prop('hidden', true);
        fire();
      });
      $responsible.on('change', fire);
      $name.on('input change', function () {
        namePreview();
        fire();
      });
      $contacts.add($company).on('change', function () {
        updateTree();
        fire();
      });
      $anonymise.on('change', function () {
        var on = $anonymise.prop('checked');
        // products are off in a fresh anonymised copy; an admin who ticks them is told about prices
        if (on && $products.length) {
          $products.prop('checked', false);
          ticks.syncProducts('check');
        }
        var template = $.trim($name.val());
        if (on && (!template || template.indexOf('{name}') >= 0)) {
          $name.val(anonymousName());
        } else if (!on && template === anonymousName()) {
          $name.val('{name}');
        }
        updateTree();
        fire();
      });
      $products.on('change', function () {
        ticks.syncProducts('check');
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
      $form.on('change', '[data-field], [data-std], [data-element]', function () {
        if ($(this).is('[data-element]')) {
          ticks.syncProducts('element');
        }
        updateTree();
        fire();
      });
      $form.on('change', '[data-catalog-box]:not([data-control])', function () {
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
        ticks.bulk($(this).closest('.dealcopy-tree__node'), $(this).attr('data-bulk') === 'on');
        updateTree();
        fire();
      });

      // Fields amoCRM never writes stay visible but can never be chosen.
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
        var status = defaults.status_id;
        if (start && accountMeta.isClosedId(status)) {
          // a won or lost source: its copy starts in the first open stage, never in 142/143
          var open = firstOpenStatus(start);
          status = open && open.id;
        }
        setRule({ pipeline_id: start && start.id, status_id: status });
        base = {};
      }

      return {
        $el: $form,
        rule: rule,
        setRule: setRule,
        showErrors: showErrors,
        clearErrors: clearErrors,
        /** A closed stage chosen and not yet confirmed: the copy waits for the answer. */
        awaitingConfirm: function () {
          return !$confirm.prop('hidden');
        },
        onChange: function (listener) {
          listeners.push(listener);
        }
      };
    }

    return ruleForm;
  }

  return { create: create, TEMPLATES: FORM_TEMPLATES };
});
