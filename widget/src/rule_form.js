/*
 * The copy-rule form every screen shares (manual 6.1–6.9): pipeline, stage, responsible, the
 * checkboxes, «Анонимная копия» and the tree of fields and catalog lists, drawn from the
 * account's metadata. It edits a rule object and places rule errors next to their controls.
 */
define('dealcopy/rule_form', [
  'jquery',
  'dealcopy/meta',
  'dealcopy/form_tree',
  'dealcopy/rule_form_view',
  'dealcopy/rule_values',
  'dealcopy/rule_errors',
  'dealcopy/stage_choice',
  'dealcopy/copy_name'
], function ($, accountMeta, formTree, formView, ruleValues, ruleErrors, stageChoice, copyName) {
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
    var tree = formTree.create(ctx);

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
      var products = formView.parts(meta, opts.checks).products;
      var lead = opts.lead;

      $host.html(
        html(
          'rule_form',
          formView.templateData(meta, opts, uid, userLang(), function (name) {
            return t('tree.catalog', { name: name });
          })
        )
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
        $.each(stageChoice.options(pipeline, t('form.closed_mark')), function (_, option) {
          $stage.append($('<option>').val(option.value).text(option.label));
        });
        $stage.val(stageChoice.preselect(pipeline, statusId));
        acceptedStage = $stage.val();
        $confirm.prop('hidden', true);
      }

      /** A closed stage (won/lost) makes a closed deal: the user confirms it or goes back. */
      function askClosed() {
        var status = stageChoice.needsConfirm(pipelineById(meta, Number($pipeline.val())), $stage.val(), acceptedStage);
        if (!status) {
          $confirm.prop('hidden', true);
          acceptedStage = $stage.val();
          return;
        }
        $confirm.find('[data-text]').text(t('form.closed_confirm', { stage: status.name }));
        $confirm.prop('hidden', false);
      }

      function selectResponsible(responsible) {
        var listed = $responsible
          .find('option')
          .map(function () {
            return $(this).val();
          })
          .get();
        var choice = ruleValues.responsibleChoice(responsible, opts.allowActor, listed);
        if (choice.missing) {
          // a deactivated or unknown user: keep it visible so the rule is not changed silently
          $responsible.append($('<option>').val(choice.missing).text(t('form.unknown_user', { id: choice.missing })));
        }
        $responsible.val(choice.value);
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
        var pipeline = pipelineById(meta, Number($pipeline.val()));
        // the backend renders {date} as dd.mm.yyyy in the rule's zone, whatever the user's language
        var date = copyName.dateText(new Date(), base.timezone || ACCOUNT_ZONE_DEFAULT);
        var values = copyName.previewValues(lead, pipeline, date, t('form.name_source'));
        var text = copyName.render($.trim($name.val()), values);
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
          $(this).prop('checked', key === 'name_template' ? ruleValues.keepsName(base) : base[key] !== false);
        });
        $name.val(ruleValues.nameText(base, anonymousName()));
        ticks.set(base);
        clearErrors();
        updateTree();
      }

      function rule() {
        var anonymous = isAnonymous();
        var out = ruleValues.compose(
          base,
          {
            pipelineId: $pipeline.val(),
            statusId: $stage.val(),
            responsible: $responsible.val(),
            anonymous: anonymous,
            contacts: $contacts.prop('checked'),
            company: $company.prop('checked'),
            std: $form
              .find('[data-std]')
              .map(function () {
                return { key: $(this).attr('data-std'), on: $(this).prop('checked') };
              })
              .get(),
            name: $name.length ? $name.val() : undefined
          },
          anonymousName()
        );
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
          var place = ruleErrors.placeOf(path, $name.length > 0);
          var $place = place.role ? $form.find(place.role === 'lead' ? '[data-node="lead"]' : '[data-role="' + place.role + '"]') : $();
          if (place.fieldIndex !== null && $.isArray(current.fields)) {
            $form
              .find('[data-field="' + current.fields[place.fieldIndex] + '"]')
              .closest('.dealcopy-check')
              .addClass('dealcopy-check_error');
          }
          if ($place.length) {
            if ($place.closest('[data-more-body]').length) {
              openMore(true);
            }
            placeError($place.first(), message);
          } else {
            unplaced.push(message); // the path is for support: problems.js puts it under «подробнее»
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
        if (on && (!template || template.indexOf(copyName.SOURCE_NAME) >= 0)) {
          $name.val(anonymousName());
        } else if (!on && template === anonymousName()) {
          $name.val(copyName.SOURCE_NAME);
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
        setRule({
          pipeline_id: start && start.id,
          status_id: stageChoice.startingStatus(start, defaults.status_id),
          name_template: copyName.DEFAULT_NAME
        });
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
        /**
         * A save pressed while the closed-stage question is open cannot tell which stage is meant:
         * the question flashes, `$error` (optional) says nothing was saved; true when so held.
         */
        holdForConfirm: function ($error) {
          if ($confirm.prop('hidden')) {
            return false;
          }
          $confirm.removeClass('dealcopy-confirm_flash');
          $confirm[0].offsetWidth; // restart the flash
          $confirm.addClass('dealcopy-confirm_flash');
          if ($error && $error.length) {
            ctx.problems.showProblem($error, { detail: t('form.confirm_first'), errors: [] });
          }
          return true;
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
