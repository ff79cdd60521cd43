/*
 * What the rule form's template draws, from the account's metadata: the standard fields (minus
 * contacts and company, which have their own checkboxes), the custom fields with the backend's
 * reasons in the user's language, the catalog lists (products shared with «Копировать товары
 * сделки»), the deal's own linked elements. Pure functions: no widget instance, no DOM.
 */
define('dealcopy/rule_form_view', [], function () {
  'use strict';

  /** The backend's per-field words (`<key>_ru` / `<key>_en`) in `lang`, falling back to the other. */
  function reasonText(field, key, lang) {
    var own = lang === 'en' ? field[key + '_en'] : field[key + '_ru'];
    return own || field[key + '_ru'] || field[key + '_en'] || '';
  }

  function standardName(field, lang) {
    var own = lang === 'en' ? field.name_en : field.name_ru;
    return own || field.name_ru || field.name_en || field.key;
  }

  /** {products, standard, custom, checks, productsShared} of `meta` for the checkboxes `checks`. */
  function parts(meta, checks) {
    var catalogs = meta.catalogs || [];
    var products = catalogs.filter(function (c) {
      return c.type === 'products';
    })[0];
    var fields = meta.lead_fields || {};
    var shown = (checks || []).filter(function (check) {
      return check !== 'products' || !!products;
    });
    return {
      catalogs: catalogs,
      products: products || null,
      standard: (fields.standard || []).filter(function (f) {
        return f.rule !== 'copy_contacts' && f.rule !== 'copy_company';
      }),
      custom: fields.custom || [],
      checks: shown,
      productsShared: !!products && shown.indexOf('products') >= 0
    };
  }

  /** The deal's linked elements of one catalog (none when the form is not about one deal). */
  function elementsOf(lead, catalog) {
    return ((lead && lead.elements) || []).filter(function (e) {
      return e.catalog_id === catalog.id;
    });
  }

  /**
   * The `rule_form` template's data. opts: the form's options (mode, heading, collapseTree, order,
   * nameInput, presets, allowActor, allowAnonymise, lead); `catalogLabel(name)` words a catalog node.
   */
  function templateData(meta, opts, uid, lang, catalogLabel) {
    var p = parts(meta, opts.checks);
    var lead = opts.lead;
    return {
      uid: uid,
      mode: opts.mode,
      heading: opts.heading,
      collapse_tree: opts.collapseTree,
      order: opts.order,
      checks: p.checks,
      products_id: p.productsShared ? p.products.id : null,
      products_shared: p.productsShared,
      name_input: opts.nameInput,
      presets: opts.presets ? meta.presets || [] : [],
      pipelines: meta.pipelines || [],
      users: meta.users || [],
      allow_actor: opts.allowActor,
      allow_anonymise: opts.allowAnonymise,
      standard: p.standard.map(function (f) {
        return { rule: f.rule, key: f.key, name: standardName(f, lang) };
      }),
      custom: p.custom.map(function (f) {
        return {
          id: f.id,
          name: f.name,
          type: f.type,
          copyable: f.copyable !== false,
          not_writable_text: f.not_writable ? reasonText(f, 'not_writable', lang) : '',
          anon_reason: f.anonymise_reason || '',
          anon_reason_text: f.anonymise_reason ? reasonText(f, 'anonymise_reason', lang) : ''
        };
      }),
      catalogs: p.catalogs.map(function (c) {
        return {
          id: c.id,
          type: c.type,
          label: catalogLabel(c.name),
          products: !!p.products && c.id === p.products.id,
          lead_known: !!lead,
          elements: elementsOf(lead, c)
        };
      })
    };
  }

  return { parts: parts, templateData: templateData, reasonText: reasonText, standardName: standardName };
});
