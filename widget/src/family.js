/*
 * The deal's copy family in the card panel: «Копии сделки: N» with a link to each copy (its stage,
 * or «удалена» when it was deleted), and «Создана из сделки #…» when the open deal is itself a copy.
 * One call, GET /copies/family, after the panel is drawn; nothing is shown when the deal has neither.
 */
define('dealcopy/family', ['jquery'], function ($) {
  'use strict';

  function create(ctx) {
    var t = ctx.i18n.t;

    function link(lead) {
      return $('<a class="dealcopy-family__link" target="_top"></a>')
        .attr('href', lead.url)
        .attr('data-copy-id', lead.lead_id)
        .text('#' + lead.lead_id + (lead.name ? ' ' + lead.name : ''));
    }

    function row(copy) {
      var $row = $('<li class="dealcopy-family__copy"></li>').attr('data-generation', copy.generation);
      $row.append(link(copy));
      var note = copy.exists ? copy.stage : t('family.deleted');
      $row.append($('<span class="dealcopy-family__stage"></span>').text(note));
      if (!copy.exists) {
        $row.addClass('dealcopy-family__copy_deleted');
      }
      return $row;
    }

    function render($box, family) {
      $box.empty();
      if (family.origin) {
        var $origin = $('<div class="dealcopy-family__origin"></div>').text(t('family.origin') + ' ');
        $box.append($origin.append(link(family.origin)));
      }
      if (family.copies.length) {
        $box.append($('<div class="dealcopy-family__title"></div>').text(t('family.title', { n: family.copies.length })));
        var $list = $('<ul class="dealcopy-family__list"></ul>').appendTo($box);
        family.copies.forEach(function (copy) {
          $list.append(row(copy));
        });
      }
      $box.prop('hidden', !family.origin && !family.copies.length);
    }

    /** The card panel `$root` gains the family of `leadId`, before its licence line. */
    function card($root, leadId) {
      if (!leadId) {
        return;
      }
      var $box = $('<div class="dealcopy-family" data-slot="family" hidden></div>');
      var $licence = $root.find('[data-slot="licence"]').first();
      if ($licence.length) {
        $box.insertBefore($licence);
      } else {
        $root.children().first().append($box);
      }
      ctx.api.call('GET', '/copies/family?lead_id=' + leadId).then(function (family) {
        render($box, family);
      });
    }

    return { card: card };
  }

  return { create: create };
});
