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

  // amoCRM's fixed ids of the closing stages of every pipeline: «Успешно реализовано», «Закрыто и не реализовано».
  var WON = 142;
  var LOST = 143;

  function isClosedId(statusId) {
    var id = Number(statusId);
    return id === WON || id === LOST;
  }

  function isClosedStatus(status) {
    return !!status && isClosedId(status.id);
  }

  /** The first stage of a pipeline a working deal can be in (not won, not lost). */
  function firstOpenStatus(pipeline) {
    return (
      $.grep((pipeline && pipeline.statuses) || [], function (status) {
        return !isClosedStatus(status);
      })[0] || null
    );
  }

  /** «Pipeline → Stage» by name (numbers only for what the account no longer has). */
  function stageLabel(meta, pipelineId, statusId) {
    var pipeline = pipelineById(meta, Number(pipelineId));
    var status =
      pipeline &&
      $.grep(pipeline.statuses || [], function (s) {
        return s.id === Number(statusId);
      })[0];
    return (pipeline ? pipeline.name : '#' + pipelineId) + ' → ' + (status ? status.name : '#' + statusId);
  }

  return {
    pipelineById: pipelineById,
    mainPipeline: mainPipeline,
    leadUrl: leadUrl,
    isClosedId: isClosedId,
    isClosedStatus: isClosedStatus,
    firstOpenStatus: firstOpenStatus,
    stageLabel: stageLabel
  };
});
