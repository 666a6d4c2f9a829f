import pl from 'nodejs-polars';
const df = pl.DataFrame({ a: [1, 2, 3, 4], b: [2, 4, 5, 9], c: [4, 3, 2, 1], d: [new Date('2020-01-05'), new Date('2020-02-07'), new Date('2021-03-01'), new Date('2021-03-09')] });
console.log((await df.lazy().select(pl.spearmanRankCorr(pl.col(['b', 'c']), pl.col('a')).suffix('_s')).collect()).toRecords());
console.log((await df.lazy().select(pl.col('d').cast(pl.Date).dt.truncate('1mo').alias('p')).groupBy('p').agg(pl.len().alias('n')).sort('p').collect()).toRecords());
console.log((await df.lazy().select(pl.col(['a','b']).skew().suffix('_sk'), pl.col(['a']).kurtosis().suffix('_k')).collect()).toRecords());
