const express = require('express');
const config = require('./config');

const app = express();
app.use(express.json());

app.use(config.apiPath, require('./routes'));

app.get('/health', function (req, res) {
  res.send('ok');
});

app.use(function (err, req, res, next) {
  res.status(err.status || 500).json({ errors: { message: err.message } });
});

app.listen(config.port, '127.0.0.1', () => console.log(`listening on ${config.port}`));
