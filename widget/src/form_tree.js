/*
 * The tree of the rule form: the lead's fields and the catalog lists (manual 6.4), telling the
 * truth before anything is copied:
 *   - a field amoCRM never writes for this account is disabled, «не копируется»;
 *   - in an anonymised copy, what the anonymised mode drops is unticked and disabled with its
 *     reason (the user's ticks come back when the switch is off), and the counters count only
 *     what will really be carried;
 *   - in the lead card the lists unfold into the deal's own linked elements with quantities,
 *     each with its tick; the products list and «Копировать товары сделки» are one control.
 * Unticking a few fields of many stores them as exclusions (`exclude_fields`), so fields added
 * to the account later are still carried.
 */
define('dealcopy/form_tree', ['jquery', 'dealcopy/field_rules'], function ($, fieldRules) {
  'use strict';

  var DROP_TARGETS = '[data-anon-drop], [data-field], [data-element]';
  var TICKS = '[data-field], [data-std], [data-catalog-box], [data-element]';

  function create(ctx) {
    var t = ctx.i18n.t;

    /**
     * `$form` holds the rendered tree; `products` is the products catalog (or null), `$products`
     * its one checkbox («Копировать товары сделки»); `fields` the lookup's custom fields (their actions).
     */
    function formTree($form, products, $products, fields) {
      var actions = fieldRules.create(ctx).attach($form, fields); // set / clear / template / map per field

      function productElements() {
        return products ? $form.find('[data-element-catalog="' + products.id + '"]') : $();
      }

      function anonReason($box) {
        return $box.closest('.dealcopy-check').attr('data-anon-reason') || '';
      }

      /** Whether the anonymised mode drops this tick (then it is held unticked and disabled). */
      function dropped($box, anonymous) {
        if (!anonymous) {
          return false;
        }
        if ($box.is('[data-field]')) {
          return !!anonReason($box);
        }
        return $box.is('[data-anon-drop]');
      }

      /** Holds what the anonymised mode drops unticked; gives the user's ticks back when it is off. */
      function hold(anonymous) {
        $form.find(DROP_TARGETS).each(function () {
          var $box = $(this);
          var drop = dropped($box, anonymous);
          if (drop && !$box.data('held')) {
            $box.data('held', true).data('wanted', $box.prop('checked')).prop('checked', false);
          } else if (!drop && $box.data('held')) {
            $box.data('held', false).prop('checked', !!$box.data('wanted'));
          }
          $box.prop('disabled', drop || $box.data('locked') === true);
          $box.closest('.dealcopy-check').toggleClass('dealcopy-check_dropped', drop);
        });
      }

      function release() {
        $form.find(DROP_TARGETS).data('held', false);
      }

      function counters() {
        var $fields = $form.find('[data-field]:not(:disabled)');
        var $std = $form.find('[data-std]:not(:disabled)');
        var checked = $fields.filter(':checked').length + $std.filter(':checked').length;
        $form
          .find('[data-node="lead"] [data-count]')
          .first()
          .text(t('tree.count', { n: checked, total: $fields.length + $std.length }));
        $form.find('[data-node="catalog"]').each(function () {
          var $node = $(this);
          var id = Number($node.attr('data-catalog'));
          var $elements = $node.find('[data-element]');
          var on;
          if ($elements.length) {
            var $open = $elements.filter(':not(:disabled)');
            var n = $open.filter(':checked').length;
            on = n > 0;
            $node.find('[data-count]').text(t('tree.count', { n: n, total: $open.length }));
          } else {
            var $box = boxOf(id);
            on = !!$box.length && $box.prop('checked') && !$box.prop('disabled');
            $node.find('[data-count]').text(on ? t('tree.on') : t('tree.off'));
          }
          $node.toggleClass('dealcopy-tree__node_off', !on);
        });
      }

      function boxOf(catalogId) {
        return $form.find('[data-catalog-box="' + catalogId + '"]');
      }

      /** Ticks of a rule: fields (list or "all" minus exclusions), catalogs, excluded elements. */
      function set(rule) {
        release();
        actions.set(rule.field_rules);
        var fields = rule.fields === undefined ? 'all' : rule.fields;
        var excluded = rule.exclude_fields || [];
        $form.find('[data-field]').each(function () {
          var $box = $(this);
          if ($box.data('copyable') === false) {
            $box.prop('checked', false);
            return;
          }
          var id = Number($box.attr('data-field'));
          var chosen = fields === 'all' || $.inArray(id, fields || []) >= 0;
          $box.prop('checked', chosen && $.inArray(id, excluded) < 0);
        });
        var catalogs = rule.catalogs === undefined ? 'all' : rule.catalogs;
        function catalogOn(id) {
          if (rule.anonymise && products && id === products.id) {
            // an anonymised copy carries products only when the rule names them explicitly
            return catalogs !== 'all' && $.inArray(id, catalogs || []) >= 0;
          }
          if (catalogs === 'all') {
            return $.inArray(id, rule.exclude_catalogs || []) < 0;
          }
          return $.inArray(id, catalogs || []) >= 0;
        }
        $form.find('[data-catalog-box]').each(function () {
          $(this).prop('checked', catalogOn(Number($(this).attr('data-catalog-box'))));
        });
        var elementsOff = rule.exclude_elements || [];
        $form.find('[data-element]').each(function () {
          var id = Number($(this).attr('data-element'));
          var on = catalogOn(Number($(this).attr('data-element-catalog'))) && $.inArray(id, elementsOff) < 0;
          $(this).prop('checked', on);
        });
      }

      function fieldChoice(out) {
        var $open = $form.find('[data-field]').filter(function () {
          return $(this).data('copyable') !== false && !$(this).data('held');
        });
        var on = [];
        var off = [];
        $open.each(function () {
          ($(this).prop('checked') ? on : off).push(Number($(this).attr('data-field')));
        });
        out.exclude_fields = [];
        if (!off.length) {
          out.fields = 'all';
        } else if (off.length <= on.length) {
          // a few unticked: exclusions, so fields added to the account later are carried
          out.fields = 'all';
          out.exclude_fields = off;
        } else {
          out.fields = on;
        }
      }

      function catalogChoice(out, anonymous) {
        var ids = [];
        var off = [];
        var elementsOff = [];
        $form.find('[data-node="catalog"]').each(function () {
          var id = Number($(this).attr('data-catalog'));
          var $elements = $(this).find('[data-element]');
          var on;
          if ($elements.length) {
            $elements.filter(':not(:checked)').each(function () {
              if (!$(this).data('held')) {
                elementsOff.push(Number($(this).attr('data-element')));
              }
            });
            on = $elements.filter(':checked').length > 0;
          } else {
            var $box = boxOf(id);
            on = $box.length ? $box.prop('checked') : true;
          }
          (on ? ids : off).push(id);
        });
        out.exclude_elements = elementsOff;
        out.exclude_catalogs = [];
        if (anonymous) {
          // an anonymised copy carries products only (legal entities and invoices identify the client)
          out.catalogs = $.grep(ids, function (id) {
            return products && id === products.id;
          });
        } else {
          // «all lists» minus the unticked ones, so a list added to the account later is carried too
          out.catalogs = 'all';
          out.exclude_catalogs = off;
        }
      }

      function read(out, anonymous) {
        var chosen = actions.read();
        if (chosen.length) {
          out.field_rules = chosen;
        } else {
          delete out.field_rules;
        }
        fieldChoice(out, anonymous);
        catalogChoice(out, anonymous);
        return out;
      }

      function productsOn() {
        var $elements = productElements();
        if ($elements.length) {
          return $elements.filter(':checked').length > 0;
        }
        return !!$products.length && $products.prop('checked');
      }

      /** «Копировать товары сделки» ticks or unticks every product of the deal, and follows them. */
      function syncProducts(source) {
        var $elements = productElements();
        if (!$elements.length || !$products.length) {
          return;
        }
        if (source === 'check') {
          $elements.prop('checked', $products.prop('checked'));
        } else {
          $products.prop('checked', $elements.filter(':checked').length > 0);
        }
      }

      /** «Добавить все» / «Снять все» of one node: its own ticks (and the products control). */
      function bulk($node, on) {
        $node.find(TICKS).each(function () {
          if (!$(this).prop('disabled')) {
            $(this).prop('checked', on);
          }
        });
        if (products && $node.attr('data-catalog') === String(products.id) && !$products.prop('disabled')) {
          $products.prop('checked', on);
        }
      }

      return {
        hold: hold,
        counters: counters,
        set: set,
        read: read,
        productsOn: productsOn,
        syncProducts: syncProducts,
        bulk: bulk
      };
    }

    return formTree;
  }

  return { create: create };
});
