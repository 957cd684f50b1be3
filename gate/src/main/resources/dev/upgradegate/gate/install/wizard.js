(function(){var r=document.getElementById('progress');if(!r)return;
var u=r.getAttribute('data-poll'),d=r.getAttribute('data-done');
function t(i,v){var e=document.getElementById(i);if(e)e.textContent=v;}
function poll(){fetch(u,{credentials:'same-origin',cache:'no-store'})
.then(function(x){if(!x.ok)throw new Error(x.status);return x.json();})
.then(function(j){if(!j.running){location.href=d;return;}
t('p-count',j.total<0?'preparing':j.current+' of '+j.total);t('p-id',j.changeset||'-');
t('p-elapsed',j.elapsed);t('p-log',j.log.join('\n'));
var b=document.getElementById('p-bar');if(b&&j.total>0){b.max=j.total;b.value=Math.max(0,j.current-1);}
setTimeout(poll,1000);})
.catch(function(){location.href=d;});}
setTimeout(poll,1000);})();
