/*
 * A stand-in for the amoCRM page around a widget (harness only; never shipped).
 *
 * It loads the widget as amoCRM does — RequireJS module, callbacks, i18n of the user's
 * language, Twig templates through self.render — and draws just enough of amoCRM around it:
 * the lead card with its right widget column (lcard), the lead list with a mass action
 * (llist), the Digital Pipeline action dialog with the manifest's inputs (dp) and the widget
 * settings modal (settings). $authorizedAjax asks the harness server for a one-time token
 * signed with the integration's secret and calls the real local backend.
 *
 * URL: /harness/index.html?area=lcard|llist|dp|settings&lang=ru|en&account=ID&subdomain=S&user=ID
 *      [&lead=ID (lcard)] [&pipeline=ID&status=ID (dp)]
 * The card page also has a «Перевести на этап» control (amoCRM: moving the deal), and saving
 * the DP dialog registers the action with the emulator (amoCRM: the action on its stage).
 */
(function () {
  'use strict';

  var params = new URLSearchParams(window.location.search);
  var AREA = params.get('area') || 'lcard';
  var LANG = params.get('lang') === 'en' ? 'en' : 'ru';
  var ACCOUNT_ID = Number(params.get('account') || 0);
  var SUBDOMAIN = params.get('subdomain') || '';
  var USER_ID = Number(params.get('user') || 11000001); // the demo account's admin by default
  var LEAD_ID = Number(params.get('lead') || 0);
  var WIDGET_PATH = '/widget';
  var SYSTEM_AREA = { lcard: 'lcard', llist: 'llist', dp: 'digital_pipeline', settings: 'settings' };
  var TEXT = {
    ru: {
      widgets: 'Виджеты',
      budget: 'Бюджет',
      responsible: 'Ответственный',
      created: 'Создано',
      pipeline: 'Воронка',
      leads: 'Сделки',
      selected: 'Выбрано: ',
      more: 'Ещё',
      dp_title: 'Цифровая воронка',
      dp_when: 'При переходе в этап',
      dp_add: 'Настроить действие «Копия сделки»',
      done: 'Готово',
      cancel: 'Отмена',
      saved: 'Действие сохранено',
      settings_title: 'Настройки виджета',
      save: 'Сохранить',
      settings_saved: 'Настройки сохранены',
      name: 'Название',
      stage: 'Этап',
      no_lead: 'Сделка не найдена',
      move: 'Перевести на этап',
      moved: 'Сделка переведена: ',
      dp_registered: 'Действие зарегистрировано в amoCRM (эмулятор)'
    },
    en: {
      widgets: 'Widgets',
      budget: 'Budget',
      responsible: 'Responsible',
      created: 'Created',
      pipeline: 'Pipeline',
      leads: 'Leads',
      selected: 'Selected: ',
      more: 'More',
      dp_title: 'Digital Pipeline',
      dp_when: 'When a lead reaches the stage',
      dp_add: 'Set up the Deal copy action',
      done: 'Done',
      cancel: 'Cancel',
      saved: 'Action saved',
      settings_title: 'Widget settings',
      save: 'Save',
      settings_saved: 'Settings saved',
      name: 'Name',
      stage: 'Stage',
      no_lead: 'Lead not found',
      move: 'Move to stage',
      moved: 'Lead moved: ',
      dp_registered: 'Action registered with amoCRM (emulator)'
    }
  }[LANG];

  document.documentElement.lang = LANG;
  window.harness = { ready: false, area: AREA, lang: LANG, dpSaved: null, events: [] };

  requirejs.config({
    baseUrl: '/vendor',
    paths: { jquery: '/vendor/jquery', twigjs: '/vendor/twig' },
    waitSeconds: 30
  });

  require(['jquery', 'twigjs'], function ($, Twig) {
    var twig = Twig.twig || (window.Twig && window.Twig.twig);
    var settingsKey = 'harness-settings-' + ACCOUNT_ID;

    function json(url) {
      return $.ajax({ url: url, dataType: 'json', cache: false }).then(function (data) {
        return data;
      });
    }

    $.when(
      json('/harness/api/config'),
      json(WIDGET_PATH + '/manifest.json'),
      json(WIDGET_PATH + '/i18n/' + LANG + '.json'),
      ACCOUNT_ID ? json('/harness/api/account/' + ACCOUNT_ID) : $.Deferred().resolve(null),
      ACCOUNT_ID && AREA === 'dp' ? json('/harness/api/dp/' + ACCOUNT_ID) : $.Deferred().resolve([])
    ).then(boot, function (xhr) {
      $('#harness-main').text('harness: boot failed ' + (xhr && xhr.status));
    });

    function boot(config, manifest, i18n, account, dpActions) {
      window.harness.dpActions = dpActions || [];
      var stored = {};
      try {
        stored = JSON.parse(window.localStorage.getItem(settingsKey) || '{}');
      } catch (ignored) {
        stored = {};
      }
      var widgetSettings = $.extend({ backend_url: config.gateway_url }, stored);
      var user = ((account && account.users) || []).filter(function (u) {
        return u.id === USER_ID;
      })[0] || { id: USER_ID, name: '' };
      var lead = ((account && account.leads) || []).filter(function (l) {
        return l.id === LEAD_ID;
      })[0];

      navLinks(config);

      // --- the AMOCRM / APP globals a widget may read
      var cardModel = {
        attributes: lead
          ? {
              'lead[NAME]': lead.name,
              'lead[PRICE]': lead.price,
              'lead[PIPELINE_ID]': String(lead.pipeline_id),
              'lead[STATUS]': String(lead.status_id),
              'lead[MAIN_USER]': String(lead.responsible_user_id)
            }
          : {},
        get: function (key) {
          return this.attributes[key];
        }
      };
      window.AMOCRM = window.APP = {
        lang_id: LANG,
        lang: LANG,
        constant: function (key) {
          var constants = {
            card_id: AREA === 'lcard' ? LEAD_ID : undefined,
            user: { id: USER_ID, name: user.name },
            account: { id: ACCOUNT_ID, subdomain: SUBDOMAIN },
            lang: LANG
          };
          return constants[key];
        },
        data: {
          current_entity: AREA === 'dp' ? 'leads-dp' : AREA === 'settings' ? 'widgets-settings' : 'leads',
          current_card: AREA === 'lcard' ? { id: LEAD_ID, model: cardModel } : undefined,
          is_card: AREA === 'lcard'
        },
        widgets: { system: { area: SYSTEM_AREA[AREA] } },
        isCard: function () {
          return AREA === 'lcard';
        },
        getWidgetsArea: function () {
          return { lcard: 'leads_card', llist: 'leads', dp: 'digital_pipeline', settings: 'settings' }[AREA];
        },
        notifications: {
          show_message: function (message) {
            window.harness.events.push({ notification: message });
          }
        }
      };

      // --- the system widget object amoCRM extends with script.js
      var host = {
        params: {
          path: WIDGET_PATH,
          widget_code: config.widget_code,
          version: manifest.widget.version,
          status: 'installed'
        },
        langs: i18n,
        system: function () {
          return {
            area: SYSTEM_AREA[AREA],
            amouser_id: String(USER_ID),
            amouser: user.name,
            subdomain: SUBDOMAIN,
            domain: SUBDOMAIN + '.amocrm.ru'
          };
        },
        get_settings: function () {
          return $.extend(
            {
              widget_code: config.widget_code,
              path: WIDGET_PATH,
              version: manifest.widget.version,
              status: 'installed'
            },
            widgetSettings
          );
        },
        set_settings: function (values) {
          $.extend(widgetSettings, values);
          window.localStorage.setItem(settingsKey, JSON.stringify(widgetSettings));
        },
        get_version: function () {
          return manifest.widget.version;
        },
        get_install_status: function () {
          return 'installed';
        },
        i18n: function (key) {
          var node = i18n;
          String(key)
            .split('.')
            .forEach(function (part) {
              node = node && node[part];
            });
          return node;
        },
        render: function (options, data) {
          options = options || {};
          if (options.href) {
            var url = (options.base_path || '') + options.href + '?v=' + encodeURIComponent(options.v || '');
            $.ajax({ url: url, dataType: 'text', cache: false }).then(function (source) {
              var template = twig({ data: source, allowInlineIncludes: true });
              if (typeof options.load === 'function') {
                options.load(template);
              }
            });
            return '';
          }
          if (typeof options.data === 'string') {
            return twig({ data: options.data }).render(data || {});
          }
          throw new Error('harness: amoCRM system templates (' + options.ref + ') are not available');
        },
        render_template: function (options) {
          var $column = AREA === 'llist' ? openSidePanel() : $('#harness-widgets');
          $column.find('.harness-widget').remove();
          var $block = $('<div class="harness-widget card-widgets__widget"></div>').appendTo($column);
          var $caption = $('<div class="harness-widget__caption card-widgets__widget__caption"></div>')
            .addClass((options.caption && options.caption.class_name) || '')
            .appendTo($block);
          $('<img alt="">').attr('src', WIDGET_PATH + '/images/logo_min.png').appendTo($caption);
          $('<span class="harness-widget__name"></span>').text(i18n.widget.name).appendTo($caption);
          $('<div class="harness-widget__body card-widgets__widget__body"></div>')
            .html((options.body || '') + (options.render || ''))
            .appendTo($block);
        },
        list_selected: function () {
          var selected = $('.harness-list__check:checked')
            .map(function () {
              return { id: Number($(this).val()), type: 'lead', emails: [], phones: [] };
            })
            .get();
          return { selected: selected, summary: { items: selected.length } };
        },
        $authorizedAjax: function (options) {
          var result = $.Deferred();
          $.ajax({
            url: '/harness/api/token',
            type: 'POST',
            contentType: 'application/json',
            dataType: 'json',
            data: JSON.stringify({ account_id: ACCOUNT_ID, subdomain: SUBDOMAIN, user_id: USER_ID })
          }).then(
            function (minted) {
              var call = $.extend({}, options, {
                headers: $.extend({}, options.headers || {}, { 'X-Auth-Token': minted.token })
              });
              window.harness.events.push({ call: (call.type || call.method || 'GET') + ' ' + call.url });
              $.ajax(call).then(result.resolve, result.reject);
            },
            result.reject
          );
          return result.promise();
        }
      };

      require([WIDGET_PATH + '/script.js?v=' + encodeURIComponent(manifest.widget.version)], function (CustomWidget) {
        var widget = Object.create(host);
        CustomWidget.call(widget);
        window.harness.widget = widget;
        var pages = { lcard: cardPage, llist: listPage, dp: dpPage, settings: settingsPage };
        (pages[AREA] || cardPage)(widget, account, lead, manifest, i18n, user);
        var started = widget.callbacks.render() !== false;
        if (started) {
          widget.callbacks.init();
          widget.callbacks.bind_actions();
        }
        if (AREA === 'settings') {
          openSettings(widget, manifest, i18n, widgetSettings);
        }
        if (AREA === 'dp') {
          openDpDialog(widget, account, manifest, i18n);
        }
        window.harness.ready = true;
      });
    }

    // ------------------------------------------------------------------ page pieces

    function navLinks(config) {
      var account = '&account=' + ACCOUNT_ID + '&subdomain=' + encodeURIComponent(SUBDOMAIN) + '&user=' + USER_ID;
      $('.harness-nav__item').each(function () {
        var area = $(this).attr('data-area');
        var extra = area === 'lcard' ? '&lead=' + (LEAD_ID || 24002811) : '';
        $(this)
          .attr('href', '?area=' + area + '&lang=' + LANG + account + extra)
          .toggleClass('harness-nav__item_active', area === AREA);
      });
      $('.harness-nav__lang a').each(function () {
        var query = new URLSearchParams(window.location.search);
        query.set('lang', $(this).attr('data-lang'));
        $(this).attr('href', '?' + query.toString()).toggleClass('harness-nav__lang_active', $(this).attr('data-lang') === LANG);
      });
      return config;
    }

    function nameOf(list, id) {
      var found = (list || []).filter(function (item) {
        return item.id === id;
      })[0];
      return found ? found.name : '#' + id;
    }

    function stageOf(account, pipelineId, statusId) {
      var pipeline = (account.pipelines || []).filter(function (p) {
        return p.id === pipelineId;
      })[0];
      return {
        pipeline: pipeline ? pipeline.name : '#' + pipelineId,
        status: pipeline ? nameOf(pipeline.statuses, statusId) : '#' + statusId
      };
    }

    function money(value) {
      return (Number(value) || 0).toLocaleString(LANG === 'en' ? 'en-GB' : 'ru-RU') + ' ₽';
    }

    function cardPage(widget, account, lead) {
      var $main = $('#harness-main').empty().addClass('harness-main_card');
      var $card = $('<section class="harness-card"></section>').appendTo($main);
      if (!lead) {
        $card.text(TEXT.no_lead);
      } else {
        var stage = stageOf(account, lead.pipeline_id, lead.status_id);
        $('<div class="harness-card__id"></div>').text(TEXT.leads + ' › #' + lead.id).appendTo($card);
        $('<h1 class="harness-card__name"></h1>').text(lead.name).appendTo($card);
        $('<div class="harness-card__stage"></div>').text(stage.pipeline + ' · ' + stage.status).appendTo($card);
        var $fields = $('<dl class="harness-card__fields"></dl>').appendTo($card);
        [
          [TEXT.responsible, nameOf(account.users, lead.responsible_user_id)],
          [TEXT.budget, money(lead.price)],
          [TEXT.created, new Date(lead.created_at * 1000).toLocaleDateString(LANG === 'en' ? 'en-GB' : 'ru-RU')]
        ].forEach(function (row) {
          $('<dt></dt>').text(row[0]).appendTo($fields);
          $('<dd></dd>').text(row[1]).appendTo($fields);
        });
        moveControl($card, account, lead);
      }
      $('<section class="harness-feed"></section>').appendTo($main);
      var $column = $('<aside class="harness-column"></aside>').appendTo($main);
      $('<div class="harness-column__title"></div>').text(TEXT.widgets).appendTo($column);
      $('<div id="harness-widgets" class="card-widgets"></div>').appendTo($column);
    }

    /** What a user does in the pipeline view: move the deal to a stage (DP actions of that stage fire). */
    function moveControl($card, account, lead) {
      var $move = $('<div class="harness-card__move"></div>').appendTo($card);
      var $select = $('<select class="harness-card__move-stage" data-harness="move-stage"></select>').appendTo($move);
      account.pipelines.forEach(function (pipeline) {
        var $group = $('<optgroup></optgroup>').attr('label', pipeline.name).appendTo($select);
        pipeline.statuses.forEach(function (status) {
          $('<option></option>')
            .val(pipeline.id + ':' + status.id)
            .text(pipeline.name + ' → ' + status.name)
            .prop('selected', pipeline.id === lead.pipeline_id && status.id === lead.status_id)
            .appendTo($group);
        });
      });
      var $said = $('<span class="harness-card__moved" data-harness="moved"></span>');
      $('<button type="button" class="harness-button" data-harness="move"></button>')
        .text(TEXT.move)
        .on('click', function () {
          var target = String($select.val()).split(':');
          $.ajax({
            url: '/harness/api/move',
            type: 'POST',
            contentType: 'application/json',
            dataType: 'json',
            data: JSON.stringify({
              account_id: ACCOUNT_ID,
              lead_id: lead.id,
              pipeline_id: Number(target[0]),
              status_id: Number(target[1]),
              user_id: USER_ID
            })
          }).then(function (moved) {
            window.harness.moved = moved;
            $said.text(TEXT.moved + $select.find('option:selected').text());
            var stage = stageOf(account, Number(target[0]), Number(target[1]));
            $card.find('.harness-card__stage').text(stage.pipeline + ' · ' + stage.status);
          });
        })
        .appendTo($move);
      $said.appendTo($move);
    }

    function listPage(widget, account) {
      var $main = $('#harness-main').empty().addClass('harness-main_list');
      var $list = $('<section class="harness-list"></section>').appendTo($main);
      $('<h1 class="harness-list__title"></h1>').text(TEXT.leads).appendTo($list);
      var $bar = $('<div class="harness-list__bar" hidden></div>').appendTo($list);
      var $count = $('<span class="harness-list__count"></span>').appendTo($bar);
      $('<button type="button" class="harness-list__action" data-harness="mass-dealcopy"></button>')
        .text(account ? '' : '')
        .append($('<img alt="">').attr('src', WIDGET_PATH + '/images/logo_min.png'))
        .append($('<span></span>').text(widget.i18n('widget').name))
        .on('click', function () {
          widget.callbacks.leads.selected();
        })
        .appendTo($bar);
      var $table = $('<table class="harness-list__table"></table>').appendTo($list);
      var $head = $('<tr></tr>').appendTo($('<thead></thead>').appendTo($table));
      ['', TEXT.name, TEXT.pipeline, TEXT.stage, TEXT.responsible, TEXT.budget].forEach(function (title) {
        $('<th></th>').text(title).appendTo($head);
      });
      var $body = $('<tbody></tbody>').appendTo($table);
      ((account && account.leads) || []).forEach(function (lead) {
        var stage = stageOf(account, lead.pipeline_id, lead.status_id);
        var $row = $('<tr></tr>').attr('data-lead', lead.id).appendTo($body);
        $('<td></td>')
          .append($('<input type="checkbox" class="harness-list__check">').val(String(lead.id)))
          .appendTo($row);
        $('<td></td>').text(lead.name).appendTo($row);
        $('<td></td>').text(stage.pipeline).appendTo($row);
        $('<td></td>').text(stage.status).appendTo($row);
        $('<td></td>').text(nameOf(account.users, lead.responsible_user_id)).appendTo($row);
        $('<td></td>').text(money(lead.price)).appendTo($row);
      });
      $table.on('change', '.harness-list__check', function () {
        var n = $('.harness-list__check:checked').length;
        $bar.prop('hidden', n === 0);
        $count.text(TEXT.selected + n);
      });
      $('<aside class="harness-side" id="harness-side" hidden></aside>').appendTo($main);
    }

    function openSidePanel() {
      return $('#harness-side').prop('hidden', false);
    }

    function dpPage(widget, account) {
      var $main = $('#harness-main').empty().addClass('harness-main_dp');
      var pipelineId = Number(params.get('pipeline') || 0) || (account && account.pipelines[0].id);
      var pipeline = ((account && account.pipelines) || []).filter(function (p) {
        return p.id === pipelineId;
      })[0];
      $('<h1 class="harness-dp__title"></h1>')
        .text(TEXT.dp_title + (pipeline ? ' — ' + pipeline.name : ''))
        .appendTo($main);
      var $board = $('<div class="harness-dp__board"></div>').attr('data-pipeline-id', pipelineId).appendTo($main);
      ((pipeline && pipeline.statuses) || []).forEach(function (status) {
        var $col = $('<div class="harness-dp__stage"></div>').attr('data-status', status.id).appendTo($board);
        $('<div class="harness-dp__stage-name"></div>').text(status.name).appendTo($col);
        // the actions amoCRM has on this stage, drawn with our widget's marker class like the DP editor
        window.harness.dpActions
          .filter(function (action) {
            return action.pipeline_id === pipelineId && action.status_id === status.id;
          })
          .forEach(function () {
            $('<div class="harness-dp__action"></div>')
              .addClass('digital-pipeline__short-task_widget-style_' + widget.params.widget_code)
              .text(widget.i18n('widget').name)
              .appendTo($col);
          });
      });
    }

    function openDpDialog(widget, account, manifest, i18n) {
      var pipelineId = Number(params.get('pipeline') || 0) || account.pipelines[0].id;
      var statusId = Number(params.get('status') || 0);
      var pipeline = account.pipelines.filter(function (p) {
        return p.id === pipelineId;
      })[0];
      var status = pipeline.statuses.filter(function (s) {
        return s.id === statusId;
      })[0] || pipeline.statuses[1] || pipeline.statuses[0];
      var savedKey = 'harness-dp-' + ACCOUNT_ID + '-' + pipeline.id + '-' + status.id;
      var saved = {};
      try {
        saved = JSON.parse(window.localStorage.getItem(savedKey) || '{}');
      } catch (ignored) {
        saved = {};
      }
      window.harness.dpSaved = saved.rule ? saved : null;
      window.harness.dpTarget = { pipeline_id: pipeline.id, status_id: status.id };

      var $overlay = $('<div class="harness-modal-overlay"></div>').appendTo('body');
      var $dialog = $('<div class="harness-dp-dialog digital-pipeline__edit-forms" data-action="send_widget_hook"></div>')
        .attr({ 'data-pipeline-id': pipeline.id, 'data-status-id': status.id })
        .appendTo($overlay);
      var $head = $('<div class="digital-pipeline__short-task_widget-style_' + widget.params.widget_code + ' harness-dp-dialog__head"></div>').appendTo(
        $dialog
      );
      $('<img alt="">').attr('src', WIDGET_PATH + '/images/logo_dp.png').appendTo($head);
      $('<div class="harness-dp-dialog__when"></div>')
        .text(TEXT.dp_when + ' «' + status.name + '»')
        .appendTo($dialog);
      var $form = $('<div class="task-edit__body__form"></div>').appendTo($dialog);
      $.each(manifest.dp.settings, function (code, spec) {
        var $row = $('<div class="task-edit__body__form-row"></div>').appendTo($form);
        var label = spec.name.split('.').reduce(function (node, part) {
          return node && node[part];
        }, i18n);
        $('<label></label>').text(label).appendTo($row);
        $('<input type="text">').attr('name', code).val(saved[code] || '').appendTo($row);
      });
      var $footer = $('<div class="harness-dp-dialog__footer"></div>').appendTo($dialog);
      $('<button type="button" class="harness-button harness-button_blue js-trigger-save"></button>')
        .text(TEXT.done)
        .on('click', function () {
          var values = {};
          $.each(manifest.dp.settings, function (code, spec) {
            values[code] = $form.find('[name="' + code + '"]').val();
            if (spec.required && !values[code]) {
              values.invalid = true;
            }
          });
          window.localStorage.setItem(savedKey, JSON.stringify(values));
          window.harness.dpSaved = values;
          $overlay.remove();
          var $saved = $('<div class="harness-dp__action"></div>')
            .text(i18n.widget.name + ' — ' + TEXT.saved)
            .appendTo($('.harness-dp__stage[data-status="' + status.id + '"]'));
          // amoCRM puts the saved action on its stage: here the emulator's DP trigger does it
          $.ajax({
            url: '/harness/api/dp',
            type: 'POST',
            contentType: 'application/json',
            dataType: 'json',
            data: JSON.stringify({
              account_id: ACCOUNT_ID,
              pipeline_id: pipeline.id,
              status_id: status.id,
              settings: { rule: values.rule || '', signature: values.signature || '' }
            })
          }).then(function (actions) {
            window.harness.dpRegistered = actions;
            $saved.text(i18n.widget.name + ' — ' + TEXT.dp_registered);
          });
        })
        .appendTo($footer);
      $('<button type="button" class="harness-button js-trigger-cancel"></button>')
        .text(TEXT.cancel)
        .on('click', function () {
          $overlay.remove();
        })
        .appendTo($footer);
      widget.callbacks.dpSettings();
    }

    function settingsPage() {
      $('#harness-main').empty().addClass('harness-main_settings');
    }

    function openSettings(widget, manifest, i18n, widgetSettings) {
      var $overlay = $('<div class="harness-modal-overlay harness-modal-overlay_settings"></div>').appendTo('body');
      var $modal = $('<div class="harness-settings modal ' + widget.params.widget_code + '"></div>').appendTo($overlay);
      var $body = $('<div class="modal-body"></div>').appendTo($modal);
      var $head = $('<div class="harness-settings__head"></div>').appendTo($body);
      $('<img alt="">').attr('src', WIDGET_PATH + '/images/logo_main.png').appendTo($head);
      var $about = $('<div class="harness-settings__about"></div>').appendTo($head);
      $('<h2></h2>').text(i18n.widget.name).appendTo($about);
      $('<p></p>').text(i18n.widget.short_description).appendTo($about);
      var $block = $('<div class="widget_settings_block"></div>').appendTo($body);
      var $fields = $('<div class="widget_settings_block__fields"></div>').appendTo($block);
      $.each(manifest.settings, function (code, spec) {
        var $row = $('<div class="widget_settings_block__item_field"></div>').appendTo($fields);
        var label = spec.name.split('.').reduce(function (node, part) {
          return node && node[part];
        }, i18n);
        $('<div class="widget_settings_block__title_field"></div>').text(label).appendTo($row);
        $('<input type="text" class="harness-input">').attr('name', code).val(widgetSettings[code] || '').appendTo($row);
      });
      var $footer = $('<div class="widget_settings_block__controls"></div>').appendTo($block);
      $('<button type="button" class="harness-button harness-button_blue js-widget-save"></button>')
        .text(TEXT.save)
        .on('click', function () {
          if (widget.callbacks.onSave() === false) {
            return;
          }
          var values = {};
          $fields.find('input').each(function () {
            values[$(this).attr('name')] = $(this).val();
          });
          widget.set_settings(values);
          $footer.find('.harness-settings__saved').remove();
          $('<span class="harness-settings__saved"></span>').text(TEXT.settings_saved).appendTo($footer);
        })
        .appendTo($footer);
      widget.callbacks.settings($body);
    }
  });
})();
