/*
 * The copy-rule form every screen shares (manual 6.1–6.9): pipeline, stage, responsible, the
 * checkboxes, «Анонимная копия» and the tree of fields and catalog lists, drawn from the
 * account's metadata. It edits a rule object and places rule errors next to their controls.
 */
define('dealcopy/rule_form', ['jquery', 'dealcopy/meta'], function ($, accountMeta) {
  'use strict';

  /** Screens load these with their own templates before they draw a form. */
  var FORM_TEMPLATES = ['rule_form'];

  function create(ctx) {
    var t = ctx.i18n.t;
    var html = ctx.templates.html;
    var messageOf = ctx.i18n.messageOf;
    var userLang = ctx.i18n.userLang;
    var pipelineById = accountMeta.pipelineById;
    var mainPipeline = accountMeta.mainPipeline;

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

    return ruleForm;
  }

  return { create: create, TEMPLATES: FORM_TEMPLATES };
});
