/**
 * The panel's one stylesheet: system fonts, one column that reflows down to a 375-pixel phone, tables that
 * scroll sideways inside their own box rather than widening the page. No script anywhere: every action is a
 * plain link or form.
 */
export const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f4f6f9}
a{color:#1a56b8}
header.top{background:#1d2330;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
header.top a{color:#fff;text-decoration:none;font-weight:600}
header.top .who{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;font-size:.9rem}
header.top button{background:transparent;color:#fff;border:1px solid #8a94a8}
main{max-width:68rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem;overflow-wrap:anywhere}
h3{font-size:1rem;margin:1rem 0 .4rem}
nav.tabs{display:flex;flex-wrap:wrap;gap:.25rem;margin:.5rem 0 1rem;border-bottom:2px solid #d5dbe5}
nav.tabs a{padding:.4rem .8rem;text-decoration:none;border-radius:.3rem .3rem 0 0}
nav.tabs a[aria-current=page]{background:#fff;border:2px solid #d5dbe5;border-bottom-color:#fff;margin-bottom:-2px;font-weight:600}
.crumbs{font-size:.9rem;margin:.25rem 0;overflow-wrap:anywhere}
section.card p{overflow-wrap:anywhere}
section.card{background:#fff;border:1px solid #d5dbe5;border-radius:.4rem;padding:.75rem 1rem;margin:0 0 1rem}
section.card>:first-child{margin-top:0}
dl.facts{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{color:#5a6478}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e3e7ee;vertical-align:top}
th{background:#eef1f6;font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.status{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.85rem;background:#e3e7ee}
.status.ok{background:#d8f1e0;color:#135c2c}.status.warn{background:#fdf0cf;color:#6b4b00}.status.bad{background:#f9dcdc;color:#8a1c1c}
ol.timeline{list-style:none;margin:0;padding:0 0 0 1rem;border-left:3px solid #d5dbe5}
ol.timeline li{margin:0 0 .6rem;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-1.45rem;top:.45rem;width:.7rem;height:.7rem;border-radius:50%;background:#1a56b8}
ol.timeline .when{color:#5a6478;font-size:.9rem}
.notice{padding:.6rem .8rem;border-radius:.3rem;margin:0 0 1rem;border:1px solid}
.notice.error{background:#fbe9e9;border-color:#e3a1a1;color:#7a1717}
.notice.info{background:#e8f0fc;border-color:#a9c2ec}
form.stack{display:grid;gap:.75rem;max-width:32rem}
form.inline{display:inline}
.field label{display:block;font-weight:600;margin-bottom:.15rem}
.field input[type=text],.field input[type=email],.field input[type=search],.field input[type=number],.field input[type=password],.field textarea,.field select{width:100%;padding:.45rem .5rem;font:inherit;border:1px solid #aab3c3;border-radius:.3rem;background:#fff}
.field.invalid input{border-color:#c0392b;background:#fff7f7}
.field .error{color:#a11d1d;font-size:.9rem;margin:.15rem 0 0}
.check{display:flex;gap:.5rem;align-items:center}
.check input{width:1.1rem;height:1.1rem}
fieldset{border:1px solid #d5dbe5;border-radius:.3rem;padding:.5rem .75rem}
button,.button{display:inline-block;font:inherit;padding:.45rem .9rem;border-radius:.3rem;border:1px solid #1a56b8;background:#1a56b8;color:#fff;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:#1a56b8}
button.danger{background:#b42318;border-color:#b42318}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:0 0 .75rem}
form.search .field{flex:1 1 12rem}
.domain-head{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline;justify-content:space-between}
.domain-head h2{margin:0;overflow-wrap:anywhere}
td.wrap{overflow-wrap:anywhere;min-width:8rem}
.pager{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:.75rem 0}
.muted{color:#5a6478}
.link{word-break:break-all;background:#fff;border:1px dashed #aab3c3;padding:.5rem;border-radius:.3rem}
@media (max-width:600px){main{padding:.5rem}section.card{padding:.6rem}dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:.35rem}th,td{padding:.35rem .4rem}}
`;
