// Charts of the reporting pages (进展驾驶舱, 自评), drawn with the vendored ECharts.
// Each chart is an element <div class="chart" data-chart-kind="…" data-chart="{…}"> whose JSON
// the server writes into the attribute: the pages carry no inline script (CSP). Kinds:
//   completion  stacked horizontal bars per unit, in percent of the unit's expected reports;
//   lines       one line per series over the periods (dashed: true for an average; hidden:
//               true leaves it off until its legend entry is clicked);
//   target      the units' values as bars, green when met, with the target value as a line.
// Tooltips are drawn on the canvas (renderMode "richText"): ECharts' HTML tooltips carry inline
// style attributes, which the CSP refuses.
(function () {
  "use strict";

  var FONT = "system-ui, -apple-system, \"Noto Sans CJK SC\", \"Microsoft YaHei\", sans-serif";
  var MET = "#2f9e44";
  var NOT_MET = "#c8161d";
  var LINE = "#495057";

  function percentAxis(name) {
    return {type: "value", min: 0, max: 100, name: name || "", axisLabel: {formatter: "{value}%"}};
  }

  function tooltip(trigger, suffix) {
    return {
      trigger: trigger,
      renderMode: "richText",
      valueFormatter: function (value) {
        return value === null || value === undefined ? "—" : value + (suffix || "");
      }
    };
  }

  function completion(data) {
    return {
      textStyle: {fontFamily: FONT},
      tooltip: Object.assign(tooltip("axis", "%"), {axisPointer: {type: "shadow"}}),
      legend: {top: 0},
      grid: {left: 8, right: 24, top: 32, bottom: 8, containLabel: true},
      xAxis: percentAxis(),
      yAxis: {type: "category", inverse: true, data: data.categories,
        axisLabel: {width: 160, overflow: "truncate"}},
      series: data.series.map(function (item) {
        return {name: item.name, type: "bar", stack: "share", data: item.data,
          itemStyle: {color: item.color}, barMaxWidth: 22};
      })
    };
  }

  function hidden(series) {
    var selected = {};
    series.forEach(function (item) {
      if (item.hidden) {
        selected[item.name] = false;
      }
    });
    return selected;
  }

  function lines(data) {
    return {
      textStyle: {fontFamily: FONT},
      tooltip: tooltip("axis", data.percent ? "%" : ""),
      legend: {top: 0, type: "scroll", selected: hidden(data.series)},
      grid: {left: 8, right: 24, top: 40, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: data.categories},
      yAxis: data.percent ? percentAxis() : {type: "value"},
      series: data.series.map(function (item) {
        return {name: item.name, type: "line", data: item.data, connectNulls: false,
          symbolSize: 7, itemStyle: {color: item.color},
          lineStyle: {color: item.color, type: item.dashed ? "dashed" : "solid",
            width: item.dashed ? 1.5 : 2.5}};
      })
    };
  }

  function target(data) {
    var bars = data.values.map(function (value, index) {
      return {value: value, itemStyle: {color: data.met[index] ? MET : NOT_MET}};
    });
    return {
      textStyle: {fontFamily: FONT},
      tooltip: Object.assign(tooltip("axis", data.unit), {axisPointer: {type: "shadow"}}),
      grid: {left: 8, right: 56, top: 40, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: data.categories,
        axisLabel: {interval: 0, rotate: data.categories.length > 6 ? 30 : 0,
          width: 120, overflow: "truncate"}},
      yAxis: {type: "value", name: data.unit ? "单位：" + data.unit : "", min: 0},
      series: [{
        name: "当前值", type: "bar", data: bars, barMaxWidth: 36,
        markLine: {
          symbol: "none", silent: true,
          lineStyle: {color: LINE, type: "dashed", width: 2},
          label: {formatter: "目标 {c}" + data.unit, position: "insideEndTop"},
          data: data.lines.map(function (value) { return {yAxis: value}; })
        }
      }]
    };
  }

  var BUILDERS = {completion: completion, lines: lines, target: target};

  function height(kind, data) {
    if (kind === "completion") {
      return Math.max(240, 60 + 30 * data.categories.length);
    }
    return 340;
  }

  var charts = [];

  function draw(element) {
    var kind = element.getAttribute("data-chart-kind");
    var build = BUILDERS[kind];
    if (!build || !window.echarts) {
      return;
    }
    var data = JSON.parse(element.getAttribute("data-chart"));
    element.style.height = height(kind, data) + "px";
    var chart = window.echarts.init(element, null, {renderer: "canvas"});
    chart.setOption(Object.assign({animation: false}, build(data)));
    charts.push(chart);
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  // A chart inside a closed <details> or a hidden tab is drawn at zero width: redraw on open.
  document.addEventListener("toggle", function () {
    charts.forEach(function (chart) { chart.resize(); });
  }, true);
}());
