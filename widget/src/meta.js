/*
 * Reading the account metadata of GET /widget/settings (pipelines, users, fields, catalogs,
 * presets, licence). Pure functions: no widget instance, no DOM.
 */
define('dealcopy/meta', ['jquery'], function ($) {
  'use strict';

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

  /** A lead's card in the account (relative when the metadata has no domain). */
  function leadUrl(meta, leadId) {
    var domain = meta && meta.account && meta.account.domain;
    return (domain ? 'https://' + domain : '') + '/leads/detail/' + leadId;
  }

  return { pipelineById: pipelineById, mainPipeline: mainPipeline, leadUrl: leadUrl };
});
