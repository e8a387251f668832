// Calls the routes by their full paths: mentions, never declarations.
const request = require('supertest');
const app = require('../app');

describe('articles', () => {
  it('lists', () => request(app).get('/api/articles').expect(200));
  it('reads one', () => request(app).get('/api/articles/how-to-train-your-dragon').expect(200));
  it('has a test-only route', () => {
    const router = require('express').Router();
    router.get('/articles/:article', (req, res) => res.send('stub'));
  });
});
